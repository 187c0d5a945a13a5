package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.proposals.SelectiveSearch;
import org.rcnn4j.proposals.SelectiveSearchSource;
import org.rcnn4j.training.DetectorTraining;

/**
 * SPP-net learns on selective-search proposals (issue 17's test): the shipped tiny backbone
 * ({@link ShapesLearning#pretrainedTiny()}), its conv layers frozen as the paper's are;
 * {@link SppNetConfig#smallPyramid}'s five scales (the paper's scaled to the data plan, each window
 * pooled where its area is nearest 64², tiny's pre-training size); fc6 and fc7 fine-tuned on the
 * pyramid-pooled windows of {@value #TRAIN} seeded {@code shapes} images cached once, then the SVMs
 * and box regressors; measured on {@value #VAL} val images with their own selective-search proposals.
 *
 * <p>The bound is below R-CNN's 0.80: SPP-net never updates its conv layers, and tiny's were
 * trained on Fashion-MNIST items, not shapes. Fast R-CNN with every conv layer frozen the same way
 * falls from 0.800 to 0.583 on 200 {@code shapes} images (bench/results/spp_net.md), the gap Fast
 * R-CNN §4.5 measures on VOC; SPP-net sits with it.
 */
class SppNetLearningTest {
    static final int TRAIN = 200, VAL = 100;
    static final long ITERATIONS = 3000;
    /** Fresh fc layers on raw max-pooled features diverge at the other detectors' 0.02 (bench/results/spp_net.md). */
    static final float LR = 0.003f;
    /** Measured 0.696 (COCO AP 0.429) on 2026-12-03 (269 s beside two other runs). */
    static final double MIN_MAP = 0.60;

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void tinySppNetLearnsShapesOnSelectiveSearchProposals() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", TRAIN);
        Dataset val = ShapesLearning.shapes(tmp, "val", VAL);
        Path out = tmp.resolve("model");
        SppNetConfig config = SppNetConfig.smallPyramid("tiny", train.numClasses(), InputPlan.of(train).shortSide());
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(SppNet.KIND, train, null, out,
                config, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, LR), false,
                new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED), null), Rcnn.MULTI_STAGE,
                s -> {}, null);
        try (Detector detector = Detector.load(out)) {
            detector.useProposals(new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED));
            List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
            double ap = CocoEvaluator.evaluate(val, dets).statsByName().get("AP");
            System.out.printf("tiny SPP-net (5 scales), %d iterations on %d shapes: val voc07 mAP %.4f, COCO AP %.4f; "
                    + "trained in %.0f s%n", ITERATIONS, TRAIN, map, ap, outcome.seconds());
            assertTrue(map >= MIN_MAP, "val voc07 mAP " + map);
        }
    }
}
