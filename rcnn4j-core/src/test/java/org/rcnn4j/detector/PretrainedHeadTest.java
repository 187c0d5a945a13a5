package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.backbone.PretrainedFc;
import org.rcnn4j.modeling.roiheads.BoxHead;
import org.rcnn4j.modeling.roiheads.C5Head;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;

/**
 * fc6 and fc7 from pre-training start the box head when, and only when, their shapes are the head's;
 * a C5 head starts from the backbone's C5.
 */
class PretrainedHeadTest {
    @TempDir Path tmp;

    /** A tiny backbone saved with random fc6 (C·7·7 → fc6) and fc7 (fc6 → fc7) layers. */
    private Path weightsWithFc(int fc6Units, int fc7Units) {
        Path file = tmp.resolve("tiny-" + fc6Units + "-" + fc7Units + ".weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 1);
            int c = b.output().channels();
            Linear fc6 = Linear.builder().setUnits(fc6Units).build(), fc7 = Linear.builder().setUnits(fc7Units).build();
            fc6.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
            fc7.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
            fc6.initialize(m, DataType.FLOAT32, new Shape(1, (long) c * 49));
            fc7.initialize(m, DataType.FLOAT32, new Shape(1, fc6Units));
            BackboneWeights.save(b, PretrainedFc.of(fc6, fc7, c, 7), file);
        }
        return file;
    }

    /** A tiny backbone saved with random fc6 (C·50 → 512) and fc7 (512 → 512) after SPP-net's pyramid. */
    private Path weightsAfterPyramid() {
        Path file = tmp.resolve("tiny-spp.weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 1);
            int c = b.output().channels();
            Linear fc6 = Linear.builder().setUnits(512).build(), fc7 = Linear.builder().setUnits(512).build();
            fc6.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
            fc6.initialize(m, DataType.FLOAT32, new Shape(1, (long) c * 50));
            fc7.initialize(m, DataType.FLOAT32, new Shape(1, 512));
            BackboneWeights.save(b, PretrainedFc.afterPyramid(fc6, fc7, c, java.util.List.of(6, 3, 2, 1)), file);
        }
        return file;
    }

    @Test
    void sppNetsHeadStartsFromLayersPretrainedAfterTheSamePyramidOnly() {
        SppNetConfig config = SppNetConfig.small("tiny", 2, 64);
        Path pyramid = weightsAfterPyramid();
        Path grid = weightsWithFc(512, 512);
        PretrainedFc stored = BackboneWeights.readFc(pyramid);
        assertEquals(java.util.List.of(6, 3, 2, 1), stored.sppLevels());
        assertEquals(0, stored.poolSize());
        try (SppNet model = SppNet.create(config, 3, pyramid); SppNet fromGrid = SppNet.create(config, 3, grid);
                SppNet fresh = SppNet.create(config, 3, null)) {
            float[] loaded = model.head().mlp().fc6().getParameters().get("weight").getArray().toFloatArray();
            try (NDManager m = NDManager.newBaseManager()) {
                TwoMlpHead expected = new TwoMlpHead(512, 512);
                expected.initialize(m, DataType.FLOAT32, new Shape(1, (long) config.pooledChannels() * 50));
                expected.loadPretrained(stored, m);
                assertArrayEquals(expected.fc6().getParameters().get("weight").getArray().toFloatArray(), loaded);
            }
            assertArrayEquals(fresh.head().mlp().fc6().getParameters().get("weight").getArray().toFloatArray(),
                    fromGrid.head().mlp().fc6().getParameters().get("weight").getArray().toFloatArray(),
                    "layers pre-trained after a 7x7 grid do not start a pyramid's fc6");
        }
        assertEquals("fc6, fc7 pre-trained", PretrainedHead.describe(config, pyramid));
        assertTrue(PretrainedHead.describe(config, grid).startsWith("fresh: pre-trained fc6/fc7 read a 7×7 grid"),
                PretrainedHead.describe(config, grid));
        assertTrue(PretrainedHead.describe(config.withRoi(config.roi().withFc(256, 512)), pyramid).startsWith("fresh: "));
    }

    private static float[] weight(BoxHead regionHead, boolean fc6) {
        TwoMlpHead head = (TwoMlpHead) regionHead;
        return (fc6 ? head.fc6() : head.fc7()).getParameters().get("weight").getArray().toFloatArray();
    }

    @Test
    void fittingLayersStartTheHead() {
        FasterRcnnConfig config = FasterRcnnTest.tinyConfig();
        Path file = weightsWithFc(config.roi().fc6(), config.roi().fc7());
        try (NDManager m = NDManager.newBaseManager();
                FasterRcnn model = FasterRcnn.create(config, 3, file);
                FasterRcnn fresh = FasterRcnn.create(config, 3)) {
            PretrainedFc stored = BackboneWeights.readFc(file);
            TwoMlpHead expected = new TwoMlpHead(config.roi().fc6(), config.roi().fc7());
            expected.initialize(m, DataType.FLOAT32, new Shape(1, stored.channels(), 7, 7));
            expected.loadPretrained(stored, m);
            TwoMlpHead head = (TwoMlpHead) model.roiHeads().boxHead();
            assertArrayEquals(weight(expected, true), weight(head, true), 0f);
            assertArrayEquals(weight(expected, false), weight(head, false), 0f);
            assertFalse(Arrays.equals(weight(fresh.roiHeads().boxHead(), true), weight(head, true)));
            assertTrue(head.fc6().getParameters().get("weight").getArray().hasGradient(), "loaded fc6 is trainable");
            assertEquals("fc6, fc7 pre-trained", PretrainedHead.describe(config, file));
        }
    }

    @Test
    void otherShapesLeaveTheHeadFresh() {
        FasterRcnnConfig config = FasterRcnnTest.tinyConfig();
        Path file = weightsWithFc(64, 32);
        try (FasterRcnn model = FasterRcnn.create(config, 3, file); FasterRcnn fresh = FasterRcnn.create(config, 3)) {
            assertArrayEquals(weight(fresh.roiHeads().boxHead(), true), weight(model.roiHeads().boxHead(), true), 0f);
        }
        String why = PretrainedHead.describe(config, file);
        assertTrue(why.startsWith("fresh: pre-trained fc6/fc7 are 64-32"), why);
        FasterRcnnConfig svd = config.withRoi(config.roi().withSvd(16, 16));
        assertEquals("fresh: fc6/fc7 are factorised by truncated SVD", PretrainedHead.describe(svd, weightsWithFc(512, 512)));
    }

    /** A tiny backbone saved alone, as {@code pretrain --classifier global} saves it. */
    private Path backboneOnly() {
        Path file = tmp.resolve("tiny.weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 1);
            b.save(file);
        }
        return file;
    }

    @Test
    void backboneOnlyWeightsSaySo() {
        Path file = backboneOnly();
        assertEquals("fresh: tiny.weights holds the backbone only", PretrainedHead.describe(FasterRcnnTest.tinyConfig(), file));
        assertEquals("fresh: no pre-trained weights", PretrainedHead.describe(FasterRcnnTest.tinyConfig(), null));
    }

    /** He et al. 2016, Appendix A: the per-region conv5_x starts as the pre-trained one. */
    @Test
    void c5HeadStartsAsACopyOfThePretrainedC5() {
        Path file = backboneOnly();
        FasterRcnnConfig config = withC5(FasterRcnnTest.tinyConfig());
        try (NDManager m = NDManager.newBaseManager(); FasterRcnn model = FasterRcnn.create(config, 3, file)) {
            List<float[]> pretrained = arrays(Backbone.load(file, m).stageBlock("C5"));
            C5Head head = assertInstanceOf(C5Head.class, model.roiHeads().boxHead());
            List<float[]> start = arrays(head.c5());
            assertFalse(pretrained.isEmpty());
            assertEquals(pretrained.size(), start.size());
            for (int i = 0; i < start.size(); i++) assertArrayEquals(pretrained.get(i), start.get(i), 0f);
            // The head's stage is a copy: training it leaves the backbone's own C5 as it was.
            NDArray first = head.c5().getParameters().valueAt(0).getArray();
            first.set(FloatBuffer.wrap(new float[Math.toIntExact(first.size())]));
            assertArrayEquals(pretrained.get(0), arrays(model.backbone().stageBlock("C5")).get(0), 0f);
        }
        assertEquals("C5 pre-trained (the backbone's conv5_x)", PretrainedHead.describe(config, file));
    }

    @Test
    void c5HeadNeedsAWeightedC5AndASingleScaleMap() {
        FasterRcnnConfig zf = withC5(FasterRcnnConfig.small("zf", 2, 64, new float[] {16, 32}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FasterRcnn.create(zf, 3));
        assertTrue(e.getMessage().contains("C5 stage of zf has no layers with weights"), e.getMessage());
        FpnConfig fpn = FpnTest.tinyConfig();
        FpnConfig fpnC5 = fpn.withRoi(fpn.roi().withHead(BoxHeadType.C5));
        e = assertThrows(IllegalArgumentException.class, () -> Fpn.create(fpnC5, 3, null));
        assertTrue(e.getMessage().contains("FPN's head is fc6 and fc7"), e.getMessage());
        FasterRcnnConfig tiny = withC5(FasterRcnnTest.tinyConfig());
        FasterRcnnConfig svd = tiny.withRoi(tiny.roi().withSvd(8, 8));
        e = assertThrows(IllegalArgumentException.class, () -> FasterRcnn.create(svd, 3));
        assertTrue(e.getMessage().contains("no fc6/fc7 to factorise"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoxHeadType.of("c6"));
        assertEquals("expected one of [fc, c5], got 'c6'", e.getMessage());
    }

    static FasterRcnnConfig withC5(FasterRcnnConfig c) {
        return c.withRoi(c.roi().withHead(BoxHeadType.C5));
    }

    private static List<float[]> arrays(Block block) {
        return block.getParameters().values().stream().map(p -> p.getArray().toFloatArray()).toList();
    }

    @Test
    void loadingRefusesAnotherShape() {
        FasterRcnnConfig config = FasterRcnnTest.tinyConfig();
        PretrainedFc stored = BackboneWeights.readFc(weightsWithFc(64, 32));
        try (NDManager m = NDManager.newBaseManager()) {
            TwoMlpHead head = new TwoMlpHead(config.roi().fc6(), config.roi().fc7());
            head.initialize(m, DataType.FLOAT32, new Shape(1, stored.channels(), 7, 7));
            assertThrows(IllegalArgumentException.class, () -> head.loadPretrained(stored, m));
        }
    }
}
