package org.rcnn4j.preprocess;

import java.util.Arrays;

/**
 * How a {@link DetectionLoader} samples, transforms and batches images.
 *
 * @param batchSize        images per batch N (Fast R-CNN §2.3: N = 2); at least 1
 * @param scales           candidate shorter sides {@code s}, pixels; one is drawn at random per image
 *                         (one value: single-scale "brute force" training; several: multi-scale, §5.2)
 * @param maxSize          cap on the longer side after resizing, pixels (1000 single-scale, 2000 multi-scale)
 * @param flipProbability  probability of a horizontal flip per image (§2.3: 0.5; 0 for evaluation)
 * @param shuffle          whether each epoch visits the images in a fresh random order
 * @param seed             the seed every random choice derives from, per (seed, epoch, image index)
 * @param normalize        per-channel normalisation
 * @param threads          decoding threads (0: decode on the caller's thread); results do not depend on it
 * @param skipBad          whether unreadable images are skipped and counted instead of failing
 * @param sizeDivisibility padded batch H and W are multiples of this (1: none; 32 suits FPN)
 * @param augmentation     crop and colour jitter drawn per image after the scale and flip; null reads as none
 */
public record LoaderConfig(
        int batchSize,
        int[] scales,
        int maxSize,
        double flipProbability,
        boolean shuffle,
        long seed,
        Normalize normalize,
        int threads,
        boolean skipBad,
        int sizeDivisibility,
        Augmentation augmentation) {

    public LoaderConfig {
        if (augmentation == null) augmentation = Augmentation.none();
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        if (scales == null || scales.length == 0) throw new IllegalArgumentException("scales needs at least one value");
        scales = scales.clone();
        for (int s : scales) {
            if (s < 1) throw new IllegalArgumentException("scales must be positive, got " + Arrays.toString(scales));
        }
        if (maxSize < 1) throw new IllegalArgumentException("maxSize must be >= 1, got " + maxSize);
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        if (normalize == null) throw new IllegalArgumentException("normalize is required");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (sizeDivisibility < 1) throw new IllegalArgumentException("sizeDivisibility must be >= 1, got " + sizeDivisibility);
    }

    /**
     * Fast R-CNN's single-scale training setup (§2.3, §5.2): N = 2, s = 600, longer side at most
     * 1000, flip p = 0.5, shuffled; ImageNet normalisation, 2 decoding threads, bad images fail.
     */
    public static LoaderConfig fastRcnnTraining(long seed) {
        return new LoaderConfig(2, new int[] {600}, 1000, 0.5, true, seed, Normalize.imagenet(),
                2, false, 1, Augmentation.none());
    }

    /** Evaluation: one image per batch, shorter side {@code scale}, no flip, dataset order. */
    public static LoaderConfig evaluation(int scale, int maxSize) {
        return new LoaderConfig(1, new int[] {scale}, maxSize, 0.0, false, 0L, Normalize.imagenet(),
                2, false, 1, Augmentation.none());
    }

    /** The candidate shorter sides (a copy). */
    @Override
    public int[] scales() {
        return scales.clone();
    }

    /** A copy with {@code batchSize} replaced. */
    public LoaderConfig withBatchSize(int n) {
        return new LoaderConfig(n, scales, maxSize, flipProbability, shuffle, seed, normalize,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with other candidate shorter sides and longer-side cap. */
    public LoaderConfig withScales(int maxSize, int... scales) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, normalize,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code flipProbability} replaced. */
    public LoaderConfig withFlipProbability(double p) {
        return new LoaderConfig(batchSize, scales, maxSize, p, shuffle, seed, normalize,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code shuffle} replaced. */
    public LoaderConfig withShuffle(boolean on) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, on, seed, normalize,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code seed} replaced. */
    public LoaderConfig withSeed(long s) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, s, normalize,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code normalize} replaced. */
    public LoaderConfig withNormalize(Normalize n) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, n,
                threads, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code threads} replaced. */
    public LoaderConfig withThreads(int t) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, normalize,
                t, skipBad, sizeDivisibility, augmentation);
    }

    /** A copy with {@code skipBad} replaced. */
    public LoaderConfig withSkipBad(boolean on) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, normalize,
                threads, on, sizeDivisibility, augmentation);
    }

    /** A copy with {@code sizeDivisibility} replaced. */
    public LoaderConfig withSizeDivisibility(int d) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, normalize,
                threads, skipBad, d, augmentation);
    }

    /** A copy with {@code augmentation} replaced. */
    public LoaderConfig withAugmentation(Augmentation a) {
        return new LoaderConfig(batchSize, scales, maxSize, flipProbability, shuffle, seed, normalize, threads, skipBad,
                sizeDivisibility, a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoaderConfig c && batchSize == c.batchSize && Arrays.equals(scales, c.scales)
                && maxSize == c.maxSize && flipProbability == c.flipProbability && shuffle == c.shuffle
                && seed == c.seed && normalize.equals(c.normalize) && threads == c.threads && skipBad == c.skipBad
                && sizeDivisibility == c.sizeDivisibility && augmentation.equals(c.augmentation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(scales) + Long.hashCode(seed) + 7 * batchSize + maxSize;
    }

    @Override
    public String toString() {
        return "LoaderConfig[batchSize=" + batchSize + ", scales=" + Arrays.toString(scales) + ", maxSize=" + maxSize
                + ", flipProbability=" + flipProbability + ", shuffle=" + shuffle + ", seed=" + seed + ", threads="
                + threads + ", skipBad=" + skipBad + ", sizeDivisibility=" + sizeDivisibility
                + ", augmentation=" + augmentation + "]";
    }
}
