package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import java.util.HashMap;
import java.util.Map;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.modeling.sampling.Proposals;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.training.DetectorTraining;
import org.rcnn4j.training.TrainingConfig;

/**
 * Faster R-CNN learns: the tiny backbone, trained from scratch for about a minute on 200 seeded
 * {@code shapes} images, detects the val split far above chance. Figures measured with this exact
 * setup are in the assertion messages; the goal (mAP ≥ 0.90 in 5 minutes) needs the tuning
 * noted in bench/results.
 */
class FasterRcnnLearningTest {
    @TempDir Path tmp;

    @Test
    void tinyFasterRcnnLearnsShapes() throws Exception {
        Dataset train = new ShapesGenerator().generate(new SynthSpec("train", 200, 128, 21), tmp.resolve("train"), n -> {});
        Dataset val = new ShapesGenerator().generate(new SynthSpec("val", 50, 128, 21), tmp.resolve("val"), n -> {});
        FasterRcnnConfig c = FasterRcnnConfig.small("tiny", train.numClasses(), 256, new float[] {16, 32, 64, 128});
        FasterRcnnConfig.Roi r = c.roi();
        FasterRcnnConfig config = new FasterRcnnConfig(c.backbone(), c.numClasses(), c.input(), c.anchors(), c.rpn(),
                new FasterRcnnConfig.Roi(r.perImage(), r.fgFraction(), r.fgIoU(), r.bgLow(), "roi-align", r.poolSize(),
                        r.fc6(), r.fc7(), r.boxLossWeight(), r.smoothL1Beta(), 0, 0),
                new FasterRcnnConfig.Test(0.05f, 0.5f, 100));
        TrainingConfig tc = new TrainingConfig(1200, 2, 0.02f, 0.9f, 1e-4f, 100, new double[] {0.7, 0.9}, 0.1f, 0.5,
                21, 0, 1);
        Path out = tmp.resolve("model");
        DetectorTraining.Outcome outcome = DetectorTraining.run(
                new DetectorTraining.Request(FasterRcnn.KIND, train, null, out, config, null, null, tc, false), s -> {}, null);
        float first = outcome.history().get(0).loss();
        float last = 0;
        List<?> h = outcome.history();
        for (int i = h.size() - 100; i < h.size(); i++) last += outcome.history().get(i).loss() / 100;
        assertTrue(last < first / 3, "mean loss of the last 100 iterations " + last + " vs first " + first);

        try (Detector detector = Detector.load(out)) {
            Map<Long, Proposals> proposals = new HashMap<>();
            for (ImageRecord im : val.images()) {
                proposals.put(im.id(), detector.propose(ImageDecoder.decode(val.imagePath(im)), im));
            }
            double recall = ProposalRecall.recall(val, proposals, 300, 0.5f, ProposalRecall.Area.ALL);
            System.out.printf("its RPN: top-300 proposals recall %.3f at IoU 0.5%n", recall);
            // Measured 0.913; an untrained RPN's top 300 cover far fewer of these mostly small objects.
            assertTrue(recall >= 0.80, "top-300 proposal recall " + recall);
            List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
            System.out.printf("tiny Faster R-CNN, 1200 iterations on 200 shapes: val voc07 mAP %.3f in %.0f s%n",
                    map, outcome.seconds());
            // Measured 0.376 (61 s here); an untrained model scores 0.01-0.03. The margin absorbs
            // floating-point differences between CPUs.
            assertTrue(map >= 0.25, "val voc07 mAP " + map);
        }
    }
}
