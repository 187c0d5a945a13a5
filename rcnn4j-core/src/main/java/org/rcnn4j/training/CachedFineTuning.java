package org.rcnn4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.SppNet;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.modeling.sampling.BalancedSampler;
import org.rcnn4j.modeling.sampling.MatchResult;
import org.rcnn4j.modeling.sampling.Matcher;
import org.rcnn4j.modeling.sampling.SampledIndices;

/**
 * SPP-net's fine-tuning (He et al. 2014, §4.1): only the fully connected layers learn, fc6, fc7 and a
 * new (K+1)-way softmax classifier, on the pooled windows cached once ({@link PooledWindowCaching})
 * since the conv layers stay fixed. Each iteration takes {@code imagesPerBatch} images in a seeded
 * order (a new permutation each pass) and samples {@code roi.perImage} of each one's cached windows,
 * {@code roi.fgFraction} foreground at IoU ≥ {@code roi.fgIoU} (ground truth included) and the rest
 * background in {@code [roi.bgLow, roi.fgIoU)}; the loss is the softmax's log loss. SGD as every other
 * stage ({@link SgdLoop}, {@link Sgd}: the frozen conv layers have no gradient), checkpoints and resume
 * as {@link SgdStage}. Every draw is a function of (seed, iteration).
 */
public final class CachedFineTuning implements TrainingStage {
    private final SppNet model;
    private final PooledWindowCaching windows;
    private final Dataset data;
    private final TrainingConfig solver;
    private final Checkpoints checkpoints;

    /**
     * @param windows     the stage whose cache this one reads
     * @param solver      iterations, images per batch, learning rate schedule, momentum, weight decay, seed
     * @param checkpoints where the stage's own checkpoints go, and a resume reads
     */
    public CachedFineTuning(SppNet model, PooledWindowCaching windows, Dataset data, TrainingConfig solver,
            Checkpoints checkpoints) {
        this.model = model;
        this.windows = windows;
        this.data = data;
        this.solver = solver;
        this.checkpoints = checkpoints;
    }

    @Override
    public String name() {
        return "fine-tune";
    }

    @Override
    public String description() {
        return "fc6, fc7 and a " + (model.config().numClasses() + 1) + "-way classifier on the cached pooled windows";
    }

    @Override
    public long size() {
        return solver.iterations();
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener listener) throws IOException {
        FeatureCache cache = windows.cache();
        List<ImageRecord> images = windows.images();
        List<Parameter> params = DetectorTrainer.parameters(model);
        Sgd sgd = new Sgd(params, model.manager(), solver.momentum(), solver.weightDecay());
        String fingerprint = data.fingerprint();
        long start = checkpoints.start(resume, model, sgd, solver.seed(), fingerprint);
        for (Parameter p : params) {
            if (p.requiresGradient() && !p.getArray().hasGradient()) p.getArray().setRequiresGradient(true);
        }
        RoiConfig roi = model.config().roi();
        Matcher matcher = Matcher.forRois(roi);
        BalancedSampler sampler = new BalancedSampler(roi.perImage(), roi.fgFraction());
        BatchOrder order = new BatchOrder(images.size(), solver.imagesPerBatch(), solver.seed());
        int d = model.pool5Size();
        SgdLoop.Objective objective = (ps, sub, iter) -> {
            SplittableRandom random = new SplittableRandom(solver.seed() * 0x9E3779B97F4A7C15L + iter);
            int[] batch = order.images(iter);
            float[][] rows = new float[batch.length][];
            int[][] labels = new int[batch.length][];
            int total = 0;
            for (int b = 0; b < batch.length; b++) {
                ImageRecord record = images.get(batch[b]);
                FeatureCache.Rows cached = read(cache, record.id());
                GroundTruth gt = RegionFeatureCaching.groundTruth(data, record);
                MatchResult match = matcher.match(cached.boxes(), gt.boxes());
                SampledIndices s = sampler.sample(match, random);
                int[] chosen = concat(s.positives(), s.negatives());
                rows[b] = new float[chosen.length * d];
                labels[b] = new int[chosen.length];
                for (int k = 0; k < chosen.length; k++) {
                    System.arraycopy(cached.features(), chosen[k] * d, rows[b], k * d, d);
                    labels[b][k] = k < s.positives().length ? gt.classes()[match.matchedGt()[chosen[k]]] : 0;
                }
                total += chosen.length;
            }
            float[] x = new float[total * d];
            int[] y = new int[total];
            int at = 0;
            for (int b = 0; b < batch.length; b++) {
                System.arraycopy(rows[b], 0, x, at * d, rows[b].length);
                System.arraycopy(labels[b], 0, y, at, labels[b].length);
                at += labels[b].length;
            }
            NDArray features = sub.create(x, new Shape(total, d));
            NDArray logits = classify(ps, features);
            NDArray loss = total == 0 ? Losses.scale(logits.sum(), 0f) : Losses.softmaxCrossEntropy(logits, y);
            return new SgdLoop.Loss(LossTerms.none().with(LossTerms.ROI_CLS, loss), batch.length);
        };
        SgdLoop.Checkpointer save = checkpoints.checkpointer(model, sgd, solver.seed(), fingerprint);
        return new SgdLoop(sgd, model.manager(), solver.schedule()::at).run(start, solver.iterations(), objective,
                solver.checkpointEvery(), save, start > 0 ? checkpoints.dir().toString() : null, listener);
    }

    /** fc6, fc7, then the softmax classifier's logits, recording for autograd. */
    private NDArray classify(ParameterStore ps, NDArray features) {
        NDArray fc7 = model.head().mlp().forward(ps, new NDList(features), true).singletonOrThrow();
        return model.predictor().clsScore().forward(ps, new NDList(fc7), true).singletonOrThrow();
    }

    private static FeatureCache.Rows read(FeatureCache cache, long imageId) {
        try {
            return cache.getUnscaled(imageId);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Which images iteration {@code iter} takes: the {@code perBatch} images at positions
     * {@code iter·perBatch ...} of an endless sequence of passes, each pass a permutation of the
     * images drawn from (seed, pass).
     */
    static final class BatchOrder {
        private final int images;
        private final int perBatch;
        private final long seed;
        private long pass = -1;
        private int[] permutation;

        BatchOrder(int images, int perBatch, long seed) {
            if (images < 1) throw new IllegalArgumentException("fine-tuning needs at least one image");
            this.images = images;
            this.perBatch = perBatch;
            this.seed = seed;
        }

        int[] images(long iter) {
            int[] out = new int[perBatch];
            for (int j = 0; j < perBatch; j++) {
                long k = iter * perBatch + j;
                out[j] = permutation(k / images)[(int) (k % images)];
            }
            return out;
        }

        private int[] permutation(long p) {
            if (p != pass) {
                SplittableRandom random = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + p);
                permutation = new int[images];
                for (int i = 0; i < images; i++) permutation[i] = i;
                for (int i = images - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = permutation[i];
                    permutation[i] = permutation[j];
                    permutation[j] = t;
                }
                pass = p;
            }
            return permutation;
        }
    }
}
