package org.rcnn4j.training;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a detector is trained (the model itself is in its own config). Defaults follow py-faster-rcnn's
 * end-to-end solver with a warm-up (Detectron2), scaled to the iteration budget.
 *
 * @param iterations        SGD iterations
 * @param imagesPerBatch    N images per iteration (Fast R-CNN §2.3: N = 2; py-faster-rcnn end-to-end: 1)
 * @param baseLr            base learning rate
 * @param momentum          μ (0.9)
 * @param weightDecay       λ (0.0005 in py-faster-rcnn)
 * @param warmupIterations  linear warm-up length
 * @param stepFractions     fractions of {@code iterations} where the rate drops by {@code gamma}
 * @param gamma             step factor (0.1)
 * @param flipProbability   horizontal flip probability in training (Fast R-CNN §2.3: 0.5)
 * @param seed              every random choice of training follows from it
 * @param checkpointEvery   write a checkpoint every this many iterations (0: only at the end)
 * @param threads           image-decoding threads
 */
public record TrainingConfig(
        long iterations,
        int imagesPerBatch,
        float baseLr,
        float momentum,
        float weightDecay,
        int warmupIterations,
        double[] stepFractions,
        float gamma,
        double flipProbability,
        long seed,
        int checkpointEvery,
        int threads) {

    public TrainingConfig {
        stepFractions = stepFractions.clone();
    }

    /**
     * The iterations a run gets when the user names none: 6 per training image (3 epochs at 2 images
     * per batch), at most 30 000, and at least {@value #MIN_DEFAULT_ITERATIONS}: a small set needs
     * more passes, not fewer. On 200 {@code shapes} images (tiny, pre-trained) 3000 iterations reached
     * voc07 0.855 in about 9 minutes on 2 cores where 6 per image (1200) left the detector short
     * (bench/results/small_data_defaults.md, 2026-12-03).
     */
    public static long defaultIterations(int trainImages) {
        return defaultIterations(trainImages, MIN_DEFAULT_ITERATIONS);
    }

    /** {@link #defaultIterations(int)} with another floor, for a detector that measured better with more passes. */
    public static long defaultIterations(int trainImages, long minimum) {
        return Math.max(minimum, Math.min(30000, 6L * trainImages));
    }

    /** The fewest iterations {@link #defaultIterations} gives. */
    public static final long MIN_DEFAULT_ITERATIONS = 3000;

    /** Sound defaults for {@code iterations} iterations from scratch on a CPU. */
    public static TrainingConfig defaults(long iterations, long seed) {
        return new TrainingConfig(iterations, 2, 0.02f, 0.9f, 1e-4f, (int) Math.min(200, iterations / 10),
                new double[] {0.75, 0.92}, 0.1f, 0.5, seed, (int) Math.max(100, Math.min(1000, iterations / 5)), 2);
    }

    public LearningRateSchedule schedule() {
        long[] steps = new long[stepFractions.length];
        for (int i = 0; i < steps.length; i++) steps[i] = Math.round(stepFractions[i] * iterations);
        return new LearningRateSchedule(baseLr, warmupIterations, 0.001f, steps, gamma);
    }

    /** The same run writing a checkpoint every {@code n} iterations (0: none before the end). */
    public TrainingConfig withCheckpointEvery(int n) {
        return new TrainingConfig(iterations, imagesPerBatch, baseLr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, seed, n, threads);
    }

    /** The same run at base learning rate {@code lr}. */
    public TrainingConfig withBaseLr(float lr) {
        return new TrainingConfig(iterations, imagesPerBatch, lr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, seed, checkpointEvery, threads);
    }

    /** The same run with {@code n} images per iteration. */
    public TrainingConfig withImagesPerBatch(int n) {
        return new TrainingConfig(iterations, n, baseLr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, seed, checkpointEvery, threads);
    }

    public TrainingConfig withIterations(long n) {
        return new TrainingConfig(n, imagesPerBatch, baseLr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, seed, checkpointEvery, threads);
    }

    /** The same run with a warm-up of {@code n} iterations. */
    public TrainingConfig withWarmup(int n) {
        return new TrainingConfig(iterations, imagesPerBatch, baseLr, momentum, weightDecay, n, stepFractions,
                gamma, flipProbability, seed, checkpointEvery, threads);
    }

    /** The same run drawing its randomness from {@code s}. */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(iterations, imagesPerBatch, baseLr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, s, checkpointEvery, threads);
    }

    /** The same run decoding images on {@code n} threads. */
    public TrainingConfig withThreads(int n) {
        return new TrainingConfig(iterations, imagesPerBatch, baseLr, momentum, weightDecay, warmupIterations, stepFractions,
                gamma, flipProbability, seed, checkpointEvery, n);
    }

    @Override
    public double[] stepFractions() {
        return stepFractions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingConfig c && iterations == c.iterations && imagesPerBatch == c.imagesPerBatch
                && Float.compare(baseLr, c.baseLr) == 0 && Float.compare(momentum, c.momentum) == 0
                && Float.compare(weightDecay, c.weightDecay) == 0 && warmupIterations == c.warmupIterations
                && Arrays.equals(stepFractions, c.stepFractions) && Float.compare(gamma, c.gamma) == 0
                && Double.compare(flipProbability, c.flipProbability) == 0 && seed == c.seed
                && checkpointEvery == c.checkpointEvery && threads == c.threads;
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, imagesPerBatch, baseLr, momentum, weightDecay, warmupIterations,
                Arrays.hashCode(stepFractions), gamma, flipProbability, seed, checkpointEvery, threads);
    }

    @Override
    public String toString() {
        return "TrainingConfig[iterations=" + iterations + ", imagesPerBatch=" + imagesPerBatch + ", baseLr=" + baseLr
                + ", momentum=" + momentum + ", weightDecay=" + weightDecay + ", warmupIterations=" + warmupIterations
                + ", stepFractions=" + Arrays.toString(stepFractions) + ", gamma=" + gamma + ", flipProbability="
                + flipProbability + ", seed=" + seed + ", checkpointEvery=" + checkpointEvery + ", threads=" + threads + "]";
    }
}
