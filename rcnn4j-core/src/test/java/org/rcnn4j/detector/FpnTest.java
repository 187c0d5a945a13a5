package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.rpn.RpnOutput;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;

class FpnTest {
    @TempDir Path tmp;

    /** A tiny FPN whose post-processor keeps every score, so an untrained model still detects. */
    static FpnConfig tinyConfig() {
        FpnConfig c = FpnConfig.small("tiny", 2, 64, 8);
        return new FpnConfig(c.backbone(), 2, c.input(), new FpnConfig.Pyramid(16, c.pyramid().anchorSizes(),
                c.pyramid().anchorRatios(), c.pyramid().canonicalSize()), c.rpn(),
                c.roi().withSampling(64, 0f).withFc(64, 64),
                new TestConfig(0f, 0.3f, 100));
    }

    @Test
    void anchorCountsAndSizesPerLevelFor256x320() {
        // The paper's anchors (32..512 on P2..P6, 3 ratios) on a 256 × 320 input with the tiny backbone.
        FpnConfig paper = FpnConfig.paper("tiny", 2);
        FpnConfig c = new FpnConfig("tiny", 2, paper.input(), new FpnConfig.Pyramid(8, paper.pyramid().anchorSizes(),
                paper.pyramid().anchorRatios(), 224), paper.rpn(), paper.roi().withSampling(8, 0f).withFc(16, 16), paper.test());
        try (Fpn model = Fpn.create(c, 1); NDManager sub = model.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(model.manager(), false);
            RpnOutput out = model.rpn().forward(ps, model.features().forward(ps, sub.zeros(new Shape(1, 3, 256, 320)), false), false);
            // P2: 64×80 cells × 3 = 15360; P3: 32×40×3 = 3840; P4: 16×20×3 = 960; P5: 8×10×3 = 240; P6: 4×5×3 = 60.
            assertArrayEquals(new int[] {15360, 3840, 960, 240, 60}, out.levelSizes());
            assertEquals(20460, out.numAnchors());
            assertEquals(20460, out.scores()[0].length);
            float[] a = out.anchors();
            int start = 0;
            float[] size = {32, 64, 128, 256, 512};
            int[] stride = {4, 8, 16, 32, 64};
            int[] cols = {80, 40, 20, 10, 5};
            for (int l = 0; l < 5; l++) {
                for (int k = 0; k < 3; k++) {
                    int o = 4 * (start + k);
                    float w = a[o + 2] - a[o];
                    float h = a[o + 3] - a[o + 1];
                    assertEquals(size[l] * size[l], w * h, 1e-2f * size[l] * size[l], "area of level P" + (l + 2));
                    // Ratios h/w 0.5, 1, 2, in that order; every anchor of position (0, 0) centred at 0.
                    assertEquals(new float[] {0.5f, 1f, 2f}[k], h / w, 1e-4f);
                    assertEquals(0f, a[o] + a[o + 2], 1e-3f);
                }
                // The next position along x is one stride to the right.
                assertEquals(stride[l], a[4 * (start + 3)] - a[4 * start], 1e-4f);
                // The first anchor of the second row is one stride down.
                assertEquals(stride[l], a[4 * (start + 3 * cols[l]) + 1] - a[4 * start + 1], 1e-4f);
                start += out.levelSizes()[l];
            }
        }
    }

    /**
     * torchvision's anchor rules (pyramid.roundAnchors, stridesFromSizes) give its anchors, here as
     * torchvision 0.14's {@code AnchorGenerator} made them for a 544 × 1344 padded input: P2's cell
     * anchors rounded, and P6 (9 × 21 cells) stepping by 544 // 9 = 60 down and 1344 // 21 = 64 across.
     */
    @Test
    void torchvisionsAnchorRules() {
        FpnConfig tv = FpnConfig.torchvision(3);
        FpnConfig c = new FpnConfig("tiny", 3, tv.input(), tv.pyramid(), tv.rpn(), tv.roi().withFc(32, 32), tv.test());
        try (Fpn model = Fpn.create(c, 1)) {
            float[] p2 = model.rpn().anchors(0, 136, 336, 544, 1344);
            assertArrayEquals(new float[] {-23, -11, 23, 11, -16, -16, 16, 16, -11, -23, 11, 23}, java.util.Arrays.copyOf(p2, 12));
            float[] p6 = model.rpn().anchors(4, 9, 21, 544, 1344);
            assertArrayEquals(new float[] {-362, -181, 362, 181, -256, -256, 256, 256, -181, -362, 181, 362},
                    java.util.Arrays.copyOf(p6, 12));
            assertArrayEquals(new float[] {-298, -121, 426, 241, -192, -196, 320, 316, -117, -302, 245, 422},
                    java.util.Arrays.copyOfRange(p6, 12 * 22, 12 * 23), "the cell at (1, 1)");
        }
        try (Fpn model = Fpn.create(FpnConfig.small("tiny", 3, 256, 32), 1)) {
            float[] p6 = model.rpn().anchors(4, 9, 21, 544, 1344);
            assertEquals(-362.03867f + 64, p6[12 * 22], 1e-3f, "the paper's rules: exact sides, the nominal stride 64");
        }
    }

    @Test
    void saveLoadDetectGivesIdenticalDetections() throws Exception {
        Path dir = tmp.resolve("model");
        var image = FasterRcnnTest.stripes(80, 64);
        ImageRecord record = new ImageRecord(7, "x", "x.png", 80, 64, List.of());
        List<Detection> before;
        Proposals proposalsBefore;
        try (Fpn model = Fpn.create(tinyConfig(), 3)) {
            ModelDirectory.save(dir, model, FasterRcnnTest.CLASSES, Normalize.imagenet(), Map.of("note", "test"));
            Detector d = Detector.of(model, ModelDirectory.describe(dir));
            before = d.detect(image, record);
            proposalsBefore = d.propose(image, record);
        }
        assertFalse(before.isEmpty(), "a score threshold of 0 keeps detections of an untrained model");
        try (Detector loaded = Detector.load(dir)) {
            assertEquals("fpn", loaded.description().detector());
            FpnConfig read = (FpnConfig) loaded.description().config();
            assertArrayEquals(tinyConfig().pyramid().anchorSizes(), read.pyramid().anchorSizes());
            assertEquals(tinyConfig().pyramid().canonicalSize(), read.pyramid().canonicalSize());
            assertEquals(tinyConfig().roi(), read.roi());
            assertEquals(tinyConfig().rpn(), read.rpn());
            assertEquals(before, loaded.detect(image, record));
            Proposals p = loaded.propose(image, record);
            assertArrayEquals(proposalsBefore.boxes(), p.boxes());
            assertTrue(p.size() > 0 && p.size() <= 300, "at most the test-time 300 proposals: " + p.size());
        }
        for (Detection d : before) {
            assertTrue(d.x1() >= 0 && d.x2() <= 80 && d.y1() >= 0 && d.y2() <= 64, "boxes in the original image: " + d);
        }
    }

    @Test
    void imageWithoutObjectsHasZeroBoxLossesAndEveryBlockLearns() {
        try (Fpn model = Fpn.create(tinyConfig(), 3)) {
            ImageRecord record = new ImageRecord(1, "empty", "e.png", 64, 64, List.of());
            PreparedImage p = PreparedImage.forInference(FasterRcnnTest.stripes(64, 64), record, null, 64, 107);
            DetectionBatch batch = DetectionBatch.assemble(List.of(p), Normalize.imagenet(), 1);
            ParameterStore ps = new ParameterStore(model.manager(), false);
            try (NDManager sub = model.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
                List<BatchImage> meta = batch.images();
                LossTerms t = model.computeLosses(ps, x, meta, new SplittableRandom(1));
                assertEquals(0f, t.get(LossTerms.RPN_BOX).getFloat());
                assertEquals(0f, t.get(LossTerms.ROI_BOX).getFloat());
                assertTrue(t.get(LossTerms.RPN_CLS).getFloat() > 0 && t.get(LossTerms.ROI_CLS).getFloat() > 0);
                gc.backward(t.total());
            }
            for (String block : List.of("fpn", "rpn_head")) {
                var params = model.blocks().get(block).getParameters();
                float g = 0;
                for (var e : params) g += e.getValue().getArray().getGradient().abs().sum().getFloat();
                assertTrue(g > 0, block + " gets a gradient");
            }
        }
    }

    @Test
    void fpnIsRegisteredAndPlansFromData() {
        assertTrue(DetectorKinds.names().containsAll(List.of("faster-rcnn", "fpn")));
        assertEquals(Fpn.KIND, DetectorKinds.find("fpn").orElseThrow());
        FpnConfig paper = FpnConfig.paper("resnet50", 20);
        assertEquals(256, paper.pyramid().channels());
        assertArrayEquals(new float[] {32, 64, 128, 256, 512}, paper.pyramid().anchorSizes());
        assertEquals(2000, paper.rpn().postNmsTrain());
        assertEquals(1000, paper.rpn().postNmsTest());
        assertEquals(1024, paper.roi().fc6());
        assertEquals(800, paper.input().shortSide());
    }
}
