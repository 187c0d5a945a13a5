package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.evaluation.CocoEvaluation;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.modeling.sampling.Proposals;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.training.DetectorTraining;
import org.rcnn4j.training.TrainingConfig;

/**
 * FPN learns: the tiny backbone with a pyramid of d = 32 channels, trained from scratch on 800
 * seeded {@code shapes} images (128 pixels, objects from 8 pixels) at s = 256 for 3400 iterations,
 * the budget of about 5 minutes of training on 2 cores with one libtorch thread. Measured:
 * val voc07 mAP 0.792 (COCO APs 0.620, APm 0.663) after 262 s of training (4 min 36 s for the whole
 * test), top-300 proposal recall 0.997. The goal of 0.90 in 5 minutes is not reached; Faster
 * R-CNN reaches 0.855 with 6000 iterations in 11 minutes (bench/results).
 */
class FpnLearningTest {
    static final int N = 800;
    static final int ITS = 3400;
    /** d: the tiny backbone's own width. */
    static final int D = 32;
    static final int FC = 512;
    static final float CANON = 143f;
    /** Measured 0.997; an untrained RPN's top 300 cover far fewer of these mostly small objects. */
    static final double RECALL_MIN = 0.95;
    /** Measured 0.792; an untrained model scores 0.01-0.03. The margin absorbs floating-point differences between CPUs. */
    static final double MAP_MIN = 0.70;

    @TempDir Path tmp;

    @Test
    void tinyFpnLearnsShapes() throws Exception {
        Dataset train = new ShapesGenerator().generate(new SynthSpec("train", N, 128, 21), tmp.resolve("train"), n -> {});
        Dataset val = new ShapesGenerator().generate(new SynthSpec("val", 100, 128, 21), tmp.resolve("val"), n -> {});
        FpnConfig c = FpnConfig.small("tiny", train.numClasses(), 256, 16);
        FasterRcnnConfig.Roi r = c.roi();
        FpnConfig config = new FpnConfig(c.backbone(), c.numClasses(), c.input(),
                new FpnConfig.Pyramid(D, c.pyramid().anchorSizes(), c.pyramid().anchorRatios(), CANON), c.rpn(),
                new FasterRcnnConfig.Roi(r.perImage(), r.fgFraction(), r.fgIoU(), r.bgLow(), r.pooler(), r.poolSize(),
                        FC, FC, r.boxLossWeight(), r.smoothL1Beta()),
                c.test());
        TrainingConfig tc = new TrainingConfig(ITS, 2, 0.02f, 0.9f, 1e-4f, 100, new double[] {0.7, 0.9}, 0.1f, 0.5,
                21, 0, 1);
        Path out = tmp.resolve("model");
        DetectorTraining.Outcome outcome = DetectorTraining.run(
                new DetectorTraining.Request(Fpn.KIND, train, null, out, config, null, null, tc, false), s -> {}, null);
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
            double recallSmall = ProposalRecall.recall(val, proposals, 300, 0.5f, ProposalRecall.Area.SMALL);
            System.out.printf("its RPN: top-300 proposals recall %.3f (small objects %.3f) at IoU 0.5%n", recall, recallSmall);
            assertTrue(recall >= RECALL_MIN, "top-300 proposal recall " + recall);
            List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
            double map = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
            CocoEvaluation coco = CocoEvaluator.evaluate(val, dets);
            System.out.printf("tiny FPN, %d iterations on %d shapes: val voc07 mAP %.3f (COCO APs %.3f, APm %.3f) in %.0f s%n",
                    ITS, N, map, coco.apSmall(), coco.apMedium(), outcome.seconds());
            assertTrue(map >= MAP_MIN, "val voc07 mAP " + map);
        }
    }
}
