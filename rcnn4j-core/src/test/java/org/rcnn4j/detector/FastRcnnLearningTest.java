package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.proposals.SelectiveSearch;
import org.rcnn4j.proposals.SelectiveSearchSource;
import org.rcnn4j.training.DetectorTraining;

/**
 * Fast R-CNN learns on selective-search proposals (issue 5's test): the tiny backbone pre-trained on
 * Fashion-MNIST labels ({@link ShapesLearning#pretrainedTiny()}; Fast R-CNN fine-tunes ImageNet models),
 * {@link FastRcnnConfig#small}'s rules (RoI max pooling 7×7, first block frozen) at s = {@value #SCALE},
 * trained on {@value #TRAIN} seeded {@code shapes} images with selective search's proposals (fast
 * mode, at most 2000 per image, computed once per image), then measured on {@value #VAL} val images
 * with their own selective-search proposals.
 *
 * <p>Why s = {@value #SCALE} and not the data plan's 416 ({@link InputPlan}, which brings small objects
 * to about 32 px): RoI max pooling rounds each RoI to whole stride-16 cells, so a small object spans
 * one or two cells whose quantisation costs both its class score and its box. At 416 the same training
 * reaches 0.843 and flattens out (0.847 at 5000 iterations); at 512, 0.876. RoIAlign, which does not
 * round, reaches 0.874 at 416 (bench/results/learning_tests.md, all 2026-11-24: 0.843 and 0.847
 * recorded in c65df02, 0.874 in 0628df6, 0.876 in ae0b710).
 */
class FastRcnnLearningTest {
    static final int TRAIN = 1000, VAL = 100;
    static final long ITERATIONS = 4000;
    static final float LR = 0.04f;
    static final int SCALE = 512;

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void tinyFastRcnnLearnsShapesOnSelectiveSearchProposals() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", TRAIN);
        Dataset val = ShapesLearning.shapes(tmp, "val", VAL);
        Path out = tmp.resolve("model");
        SelectiveSearchSource trainProposals = new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED);
        FastRcnnConfig config = FastRcnnConfig.small("tiny", train.numClasses(), SCALE);
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(FastRcnn.KIND, train, null, out,
                config, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, LR), false, trainProposals, null), s -> {}, null);
        assertTrue(trainProposals.cachedImages() == TRAIN, "each training image searched once: " + trainProposals.cachedImages());
        try (Detector detector = Detector.load(out)) {
            detector.useProposals(new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, ShapesLearning.SEED));
            double map = ShapesLearning.voc07(detector, val);
            System.out.printf("tiny Fast R-CNN, %d iterations on %d shapes, selective search: val voc07 mAP %.4f, trained in %.0f s%n",
                    ITERATIONS, TRAIN, map, outcome.seconds());
            // Measured 0.8757 in 336 s of training (.ci/run on a fresh clone, 2 cores; 2026-11-24, recorded in
            // ed0e0f2); 0.876 in bench/shapes_experiment.sh -Dkind=fast-rcnn -Dn=1000 -Diters=4000 -Dlr=0.04
            // -Dside=512 (bench/results/learning_tests.md, 2026-11-24, recorded in ae0b710). The goal
            // is 0.85.
            assertTrue(map >= 0.85, "val voc07 mAP " + map);
        }
    }
}
