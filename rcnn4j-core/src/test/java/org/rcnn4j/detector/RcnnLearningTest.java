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
import org.rcnn4j.modeling.roiheads.RcnnPredictor;
import org.rcnn4j.proposals.SelectiveSearch;
import org.rcnn4j.proposals.SelectiveSearchSource;
import org.rcnn4j.training.DetectorTraining;

/**
 * R-CNN learns on selective-search proposals (issue 16's test): the tiny backbone pre-trained on
 * Fashion-MNIST labels ({@link ShapesLearning#pretrainedTiny()}), {@link RcnnConfig#small}'s rules
 * (64×64 warps with 5 pixels of context, fine-tuning batches of 2 × 64 regions), fine-tuned on
 * {@value #TRAIN} seeded {@code shapes} images for {@value #ITERATIONS} iterations, its SVMs and
 * box regressors trained on the first {@value #SVM_IMAGES} of them, then measured on {@value #VAL}
 * val images with their own selective-search proposals, with and without its box regressors
 * (R-CNN Table 2's "BB"): the regressors must tighten the boxes, which COCO's AP over IoU 0.50:0.95
 * rewards.
 */
class RcnnLearningTest {
    static final int TRAIN = 300, VAL = 100, SVM_IMAGES = 100;
    static final long ITERATIONS = 800;
    static final float LR = 0.02f;

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void tinyRcnnLearnsShapesOnSelectiveSearchProposals() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", TRAIN);
        Dataset val = ShapesLearning.shapes(tmp, "val", VAL);
        Path out = tmp.resolve("model");
        RcnnConfig config = RcnnConfig.small("tiny", train.numClasses(), InputPlan.of(train).shortSide())
                .withSvm(RcnnConfig.paper("tiny", 1).svm().withImages(SVM_IMAGES));
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(Rcnn.KIND, train, null, out,
                config, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, LR), false,
                new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED), null), Rcnn.MULTI_STAGE,
                s -> {}, null);
        try (Detector detector = Detector.load(out)) {
            detector.useProposals(new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED));
            List<Detection> withBoxes = DatasetDetector.detectAll(detector, val, null);
            ((Rcnn) detector.model()).predictor().use(RcnnPredictor.Classifier.SVM, false);
            List<Detection> proposalBoxes = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, withBoxes, VocMetric.VOC07).mAP();
            double ap = CocoEvaluator.evaluate(val, withBoxes).statsByName().get("AP");
            double mapNoBoxes = new VocEvaluator().evaluate(val, proposalBoxes, VocMetric.VOC07).mAP();
            double apNoBoxes = CocoEvaluator.evaluate(val, proposalBoxes).statsByName().get("AP");
            System.out.printf("tiny R-CNN, %d iterations on %d shapes, SVMs on %d: val voc07 mAP %.4f, COCO AP %.4f; "
                    + "without box regression %.4f, %.4f; trained in %.0f s%n", ITERATIONS, TRAIN, SVM_IMAGES, map, ap,
                    mapNoBoxes, apNoBoxes, outcome.seconds());
            assertTrue(map >= 0.80, "val voc07 mAP " + map);
            assertTrue(ap > apNoBoxes, "box regression tightens the boxes: COCO AP " + ap + " against " + apNoBoxes);
        }
    }
}
