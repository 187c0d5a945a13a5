package org.rcnn4j.detector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.pretrain.ShippedWeights;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.training.TrainingConfig;

/**
 * What the detectors' learning tests share: seeded {@code shapes} sets of 128-pixel images, the
 * solver, and the figures they assert (val voc07 mAP, proposal recall).
 */
public final class ShapesLearning {
    /** Seed of the sets and of training. */
    public static final long SEED = 21;

    private ShapesLearning() {}

    /**
     * The {@code tiny} backbone pre-trained on Fashion-MNIST labels (R-CNN §2.3's supervised
     * pre-training, with Fashion-MNIST standing in for ImageNet; validation accuracy 0.708 on 2000
     * items), the weights rcnn4j ships ({@link ShippedWeights}), written by
     * {@code ./rcnn4j pretrain --backbone tiny --data fashion --iterations 4000 --validation-items 2000 --seed 0 --out tiny-fashion.weights}
     * (1m31s; accuracy and time 2026-11-24, commit 27f32ee). The papers fine-tune pre-trained networks;
     * a from-scratch tiny reaches about 0.04 less voc07 mAP on the same budget
     * (bench/results/faster_rcnn_shapes.md, 2026-11-24, recorded in 27f32ee).
     */
    public static Path pretrainedTiny() {
        return ShippedWeights.file("tiny").orElseThrow();
    }

    /** {@code images} seeded {@code shapes} images of split {@code split} (128 px), written under {@code dir}. */
    public static Dataset shapes(Path dir, String split, int images) throws IOException {
        return new ShapesGenerator().generate(new SynthSpec(split, images, 128, SEED), dir.resolve(split), n -> {});
    }

    /**
     * SGD for {@code iterations} of 2 images at base rate {@code lr}: momentum 0.9, weight decay 1e-4,
     * warm-up of min(200, iterations / 10), drops ×0.1 at 75 % and 92 %, flip 0.5, one decoding thread.
     */
    public static TrainingConfig solver(long iterations, float lr) {
        return TrainingConfig.defaults(iterations, SEED).withBaseLr(lr).withCheckpointEvery(0).withThreads(1);
    }

    /** Val voc07 mAP of a detector. */
    public static double voc07(Detector detector, Dataset val) {
        List<Detection> dets = DatasetDetector.detectAll(detector, val, null);
        return new VocEvaluator().evaluate(val, dets, VocMetric.VOC07).mAP();
    }

    /** Recall at IoU 0.5 of the detector's top {@code n} proposals on {@code val}. */
    public static double proposalRecall(Detector detector, Dataset val, int n) throws IOException {
        Map<Long, Proposals> proposals = new HashMap<>();
        for (ImageRecord im : val.images()) proposals.put(im.id(), detector.propose(ImageDecoder.decode(val.imagePath(im)), im));
        return ProposalRecall.recall(val, proposals, n, 0.5f, ProposalRecall.Area.ALL);
    }
}
