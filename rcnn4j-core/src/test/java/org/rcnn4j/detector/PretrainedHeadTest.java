package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.roiheads.BoxHead;
import org.rcnn4j.modeling.roiheads.PretrainedFc;

/** fc6 and fc7 from pre-training start the box head when, and only when, their shapes are the head's. */
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

    private static float[] weight(BoxHead head, boolean fc6) {
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
            BoxHead expected = new BoxHead(config.roi().fc6(), config.roi().fc7(), 2);
            expected.initialize(m, DataType.FLOAT32, new Shape(1, stored.channels(), 7, 7));
            stored.loadInto(expected, m);
            BoxHead head = model.roiHeads().head();
            assertArrayEquals(weight(expected, true), weight(head, true), 0f);
            assertArrayEquals(weight(expected, false), weight(head, false), 0f);
            assertFalse(Arrays.equals(weight(fresh.roiHeads().head(), true), weight(head, true)));
            assertTrue(head.fc6().getParameters().get("weight").getArray().hasGradient(), "loaded fc6 is trainable");
            assertEquals("fc6, fc7 pre-trained", PretrainedHead.describe(config, file));
        }
    }

    @Test
    void otherShapesLeaveTheHeadFresh() {
        FasterRcnnConfig config = FasterRcnnTest.tinyConfig();
        Path file = weightsWithFc(64, 32);
        try (FasterRcnn model = FasterRcnn.create(config, 3, file); FasterRcnn fresh = FasterRcnn.create(config, 3)) {
            assertArrayEquals(weight(fresh.roiHeads().head(), true), weight(model.roiHeads().head(), true), 0f);
        }
        String why = PretrainedHead.describe(config, file);
        assertTrue(why.startsWith("fresh: pre-trained fc6/fc7 are 64-32"), why);
        FasterRcnnConfig svd = config.withRoi(config.roi().withSvd(16, 16));
        assertEquals("fresh: fc6/fc7 are factorised by truncated SVD", PretrainedHead.describe(svd, weightsWithFc(512, 512)));
    }

    @Test
    void backboneOnlyWeightsSaySo() {
        Path file = tmp.resolve("tiny.weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 1);
            b.save(file);
        }
        assertEquals("fresh: tiny.weights holds the backbone only", PretrainedHead.describe(FasterRcnnTest.tinyConfig(), file));
        assertEquals("fresh: no pre-trained weights", PretrainedHead.describe(FasterRcnnTest.tinyConfig(), null));
    }

    @Test
    void loadingRefusesAnotherShape() {
        FasterRcnnConfig config = FasterRcnnTest.tinyConfig();
        PretrainedFc stored = BackboneWeights.readFc(weightsWithFc(64, 32));
        try (NDManager m = NDManager.newBaseManager()) {
            BoxHead head = new BoxHead(config.roi().fc6(), config.roi().fc7(), 2);
            head.initialize(m, DataType.FLOAT32, new Shape(1, stored.channels(), 7, 7));
            assertThrows(IllegalArgumentException.class, () -> stored.loadInto(head, m));
        }
    }
}
