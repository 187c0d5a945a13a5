package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.evaluation.CocoEvaluation;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.training.DetectorTraining;

/**
 * FPN learns (issue 4's test): the tiny backbone pre-trained on Fashion-MNIST labels
 * ({@link ShapesLearning#pretrainedTiny()}), the config a user gets from the data ({@link Fpn#KIND}'s
 * plan), trained on {@value #TRAIN} seeded {@code shapes} images for {@value #ITERATIONS} iterations,
 * then measured on {@value #VAL} val images: the RPN's top-300 recall and voc07 mAP.
 */
class FpnLearningTest {
    static final int TRAIN = 1000, VAL = 100;
    static final long ITERATIONS = 2400;
    static final float LR = 0.04f;

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void tinyFpnLearnsShapes() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", TRAIN);
        Dataset val = ShapesLearning.shapes(tmp, "val", VAL);
        Path out = tmp.resolve("model");
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(Fpn.KIND, train, null, out,
                null, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, LR), false), s -> {}, null);
        try (Detector detector = Detector.load(out)) {
            double recall = ShapesLearning.proposalRecall(detector, val, 300);
            List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
            CocoEvaluation coco = CocoEvaluator.evaluate(val, dets);
            System.out.printf("tiny FPN, %d iterations on %d shapes: RPN top-300 recall %.3f, val voc07 mAP %.4f"
                    + " (COCO APs %.3f, APm %.3f), trained in %.0f s%n",
                    ITERATIONS, TRAIN, recall, map, coco.apSmall(), coco.apMedium(), outcome.seconds());
            assertTrue(recall >= 0.95, "top-300 proposal recall at IoU 0.5: " + recall);
            // Measured 0.9088 at lr 0.04 (COCO APs 0.727), recall 0.997, in 260 s of training (.ci/run on a
            // fresh clone, 2 cores; 2026-11-24, recorded in b8ed500; 0.9088 again on e056c03, 2026-11-24);
            // lr 0.02 gave 0.8896 (2026-11-24, commit 27f32ee). The goal is 0.90 within 5 minutes.
            // The margin absorbs floating-point differences between CPUs.
            assertTrue(map >= 0.85, "val voc07 mAP " + map);
        }
    }
}
