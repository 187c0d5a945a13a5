package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.proposals.JitteredProposals;
import org.rcnn4j.proposals.ProposalsFileSource;
import org.rcnn4j.training.DetectorTraining;
import org.rcnn4j.training.TrainingConfig;

/**
 * Fast R-CNN learns on given proposals: the tiny backbone, trained from scratch on 200 seeded
 * {@code shapes} images with the data-planned config ({@link FastRcnnConfig#small}: s = 416, RoI max
 * pooling, first block frozen) for 2500 iterations (about 2 minutes), detects the val split well. The proposals are
 * a STAND-IN for selective search ({@link JitteredProposals}: boxes jittered around the ground truth,
 * IoU 0.3-0.9, plus random boxes), written to and read from proposals files as the CLI does. The
 * issue's goal (voc07 mAP ≥ 0.85 on selective-search proposals) is a separate test.
 */
class FastRcnnLearningTest {
    @TempDir Path tmp;

    @Test
    void tinyFastRcnnLearnsShapesOnJitteredProposals() throws Exception {
        Dataset train = new ShapesGenerator().generate(new SynthSpec("train", 200, 128, 21), tmp.resolve("train"), n -> {});
        Dataset val = new ShapesGenerator().generate(new SynthSpec("val", 50, 128, 21), tmp.resolve("val"), n -> {});
        Path trainFile = tmp.resolve("train-proposals.json");
        Path valFile = tmp.resolve("val-proposals.json");
        ProposalsFile.write(JitteredProposals.of(train, 40, 300, 5), trainFile);
        ProposalsFile.write(JitteredProposals.of(val, 40, 300, 6), valFile);
        FastRcnnConfig config = FastRcnnConfig.small("tiny", train.numClasses(), InputPlan.of(train).shortSide());
        long iterations = 2500;
        TrainingConfig tc = new TrainingConfig(iterations, 2, 0.02f, 0.9f, 1e-4f, 100, new double[] {0.7, 0.9}, 0.1f, 0.5,
                21, 0, 1);
        Path out = tmp.resolve("model");
        DetectorTraining.Outcome outcome = DetectorTraining.run(new DetectorTraining.Request(FastRcnn.KIND, train, null, out,
                config, null, null, tc, false, ProposalsFileSource.read(trainFile, train), null), s -> {}, null);
        float first = outcome.history().get(0).loss();
        float last = 0;
        List<?> h = outcome.history();
        for (int i = h.size() - 100; i < h.size(); i++) last += outcome.history().get(i).loss() / 100;
        assertTrue(last < first / 3, "mean loss of the last 100 iterations " + last + " vs first " + first);

        try (Detector detector = Detector.load(out)) {
            detector.useProposals(ProposalsFileSource.read(valFile, val));
            List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
            System.out.printf("tiny Fast R-CNN (s = %d), %d iterations on 200 shapes, jittered proposals: val voc07 mAP %.3f in %.0f s%n",
                    config.input().shortSide(), iterations, map, outcome.seconds());
            // Measured 0.587 (2500 iterations, 128 s here; 0.472 after 1500). With the first block
            // trainable (frozenStages 0) 1500 iterations gave 0.537, with RoIAlign 0.514: freezing a
            // randomly initialised block costs a little from scratch. The margin absorbs
            // floating-point differences between CPUs.
            assertTrue(map >= 0.45, "val voc07 mAP " + map + " (measured 0.587)");
        }
    }
}
