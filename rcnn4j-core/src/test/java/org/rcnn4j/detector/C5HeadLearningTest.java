package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.training.DetectorTraining;

/**
 * Faster R-CNN with the C5 head ({@code roi.head c5}) learns: the pre-trained tiny backbone, whose
 * C5 stage (one 3×3 convolution, stride 2) starts the head, the data-planned config otherwise,
 * trained jointly on {@value #TRAIN} seeded {@code shapes} images for {@value #ITERATIONS}
 * iterations, then voc07 mAP on {@value #VAL} val images. A short schedule: it checks that the head
 * trains and detects, not an accuracy goal.
 */
class C5HeadLearningTest {
    static final int TRAIN = 1000, VAL = 100;
    static final long ITERATIONS = 1000;
    static final float LR = 0.04f;

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void tinyFasterRcnnWithAC5HeadLearnsShapes() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", TRAIN);
        Dataset val = ShapesLearning.shapes(tmp, "val", VAL);
        Path out = tmp.resolve("model");
        FasterRcnnConfig config = PretrainedHeadTest.withC5((FasterRcnnConfig) FasterRcnn.KIND.plan("tiny", train));
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(FasterRcnn.KIND, train, null,
                out, config, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, LR), false), s -> {}, null);
        assertEquals(BoxHeadType.C5, ((FasterRcnnConfig) ModelDirectory.describe(out).config()).roi().head());
        try (Detector detector = Detector.load(out)) {
            double map = ShapesLearning.voc07(detector, val);
            System.out.printf("tiny Faster R-CNN with a C5 head, %d iterations on %d shapes: val voc07 mAP %.4f,"
                    + " trained in %.0f s%n", ITERATIONS, TRAIN, map, outcome.seconds());
            // Measured 0.5231 in 69 s of training on 2 cores, one libtorch thread (2026-11-24,
            // commit 62a66fb); an untrained head scores near 0. The margin absorbs floating-point
            // differences between CPUs.
            assertTrue(map >= 0.45, "val voc07 mAP " + map);
        }
    }
}
