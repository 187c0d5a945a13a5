package org.rcnn4j.modeling.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.rcnn4j.config.RpnConfig;

/**
 * Draws a mini-batch of up to {@code batchSize} examples of which at most
 * {@code floor(batchSize × positiveFraction)} are positive, filling the rest with negatives, each
 * chosen uniformly at random without replacement (torchvision's
 * {@code BalancedPositiveNegativeSampler}).
 *
 * <ul>
 *   <li>RPN ({@link #rpn()}, Faster R-CNN §3.1.3): 256 anchors per image, positive:negative up to 1:1;
 *       "if there are fewer than 128 positive samples in an image, we pad the mini-batch with
 *       negative ones".</li>
 *   <li>RoIs (Fast R-CNN §2.3): 25 % foreground; 64 RoIs per image in Fast R-CNN (N = 2 images,
 *       R = 128), 128 per image in py-faster-rcnn's end-to-end Faster R-CNN (one image).</li>
 * </ul>
 *
 * <p>Shortage: with fewer positives than the quota all of them are taken and negatives pad the batch;
 * with too few negatives as well the batch is simply smaller (positives are never added beyond the
 * quota, as in py-faster-rcnn and torchvision). No positives, no negatives, or both, are all fine.
 *
 * <p>Randomness comes only from the generator passed in ({@link java.util.Random},
 * {@link java.util.SplittableRandom}, ...): the same generator state gives the same batch. When a
 * group fits entirely it is taken whole and draws nothing from the generator.
 *
 * <p>Immutable and thread-safe (the generator is the caller's).
 */
public final class BalancedSampler {

    private final int batchSize;
    private final double positiveFraction;

    /**
     * A sampler.
     *
     * @param batchSize        examples per image (non-negative)
     * @param positiveFraction the largest fraction of positives, in [0, 1]
     */
    public BalancedSampler(int batchSize, double positiveFraction) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize is negative: " + batchSize);
        }
        if (!(positiveFraction >= 0 && positiveFraction <= 1)) {
            throw new IllegalArgumentException("positiveFraction must be in [0, 1]: " + positiveFraction);
        }
        this.batchSize = batchSize;
        this.positiveFraction = positiveFraction;
    }

    /** Faster R-CNN's RPN batch (§3.1.3): 256 anchors, up to half positive. */
    public static BalancedSampler rpn() {
        RpnConfig paper = RpnConfig.fasterRcnn();
        return new BalancedSampler(paper.batchSize(), paper.positiveFraction());
    }

    /** Examples per image. */
    public int batchSize() {
        return batchSize;
    }

    /** The largest fraction of positives. */
    public double positiveFraction() {
        return positiveFraction;
    }

    /** The positive quota, {@code floor(batchSize × positiveFraction)} (torchvision's {@code int(...)}). */
    public int maxPositives() {
        return (int) Math.floor(batchSize * positiveFraction);
    }

    /**
     * Draws a batch from candidate index sets.
     *
     * @param positives candidate positive indices (distinct; any order)
     * @param negatives candidate negative indices (distinct; any order)
     * @param random    the source of randomness
     * @return {@code min(|positives|, maxPositives)} positives and
     *         {@code min(|negatives|, batchSize - positivesTaken)} negatives, each ascending
     */
    public SampledIndices sample(int[] positives, int[] negatives, RandomGenerator random) {
        int[] pos = choose(positives, Math.min(positives.length, maxPositives()), random);
        int[] neg = choose(negatives, Math.min(negatives.length, batchSize - pos.length), random);
        return new SampledIndices(pos, neg);
    }

    /**
     * Draws a batch from a match: foreground predictions are the positive candidates,
     * {@link Matcher#BACKGROUND} ones the negatives, {@link Matcher#IGNORE} ones never chosen.
     *
     * @param match  the matcher's output for N predictions
     * @param random the source of randomness
     * @return indices into 0..N-1, as {@link #sample(int[], int[], RandomGenerator)}
     */
    public SampledIndices sample(MatchResult match, RandomGenerator random) {
        return sample(match.foreground(), match.background(), random);
    }

    /** k of the candidates, uniformly without replacement (a partial Fisher-Yates shuffle), ascending. */
    private static int[] choose(int[] candidates, int k, RandomGenerator random) {
        int[] out;
        if (k >= candidates.length) {
            out = candidates.clone();
        } else {
            int[] pool = candidates.clone();
            for (int i = 0; i < k; i++) {
                int j = i + random.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            out = Arrays.copyOf(pool, k);
        }
        Arrays.sort(out);
        return out;
    }
}
