package org.rcnn4j.config;

import java.util.Arrays;
import org.rcnn4j.preprocess.Augmentation;

/**
 * How images are scaled for the network (Fast R-CNN §5.2): the shorter side to {@code shortSide}
 * pixels, unless the longer side would then pass {@code maxSize}. Serialised as {@code input}.
 *
 * @param shortSide   training/test shorter side s in pixels (Fast R-CNN: 600)
 * @param maxSize     cap on the longer side (1000)
 * @param trainScales  shorter sides drawn per image in training (multi-scale training when more than
 *                     one, the papers' scale jitter); null reads as {@code {shortSide}}
 * @param augmentation training crop and colour jitter ({@link Augmentation}); null (a config written
 *                     before it existed) reads as none
 * @param sizeDivisibility the padded input's height and width are rounded up to a multiple of this
 *                     (32 for torchvision's FPN, so that every pyramid level halves exactly); 0 (a
 *                     config without it) and 1: no rounding
 * @param resize       how a test image is resized ({@link ResizeConvention}); null (a config without
 *                     it) reads as {@link ResizeConvention#OPENCV}. Training always resizes the 8-bit
 *                     image: its crops and flips work on bytes.
 */
public record InputConfig(int shortSide, int maxSize, int[] trainScales, Augmentation augmentation, int sizeDivisibility,
        ResizeConvention resize) {
    public InputConfig {
        trainScales = trainScales == null ? new int[] {shortSide} : trainScales.clone();
        if (augmentation == null) augmentation = Augmentation.none();
        if (sizeDivisibility == 0) sizeDivisibility = 1;
        if (resize == null) resize = ResizeConvention.OPENCV;
    }

    /** No rounding of the padded size, the 8-bit resize. */
    public InputConfig(int shortSide, int maxSize, int[] trainScales, Augmentation augmentation) {
        this(shortSide, maxSize, trainScales, augmentation, 1, ResizeConvention.OPENCV);
    }

    /**
     * One scale, the longer side capped at 5/3 of it: the paper's ratio (1000 for s = 600) applied
     * to any s.
     */
    public static InputConfig single(int shortSide) {
        return new InputConfig(shortSide, maxSizeFor(shortSide), new int[] {shortSide}, Augmentation.none());
    }

    /** The cap on the longer side that keeps the paper's ratio 1000 / 600 for a shorter side of s. */
    public static int maxSizeFor(int shortSide) {
        return Math.max(shortSide, (int) Math.ceil(shortSide * 5 / 3.0));
    }

    /** The same single scale, training on one of {@code scales} per image with the longer side at most {@code max}. */
    public InputConfig withTrainScales(int max, int... scales) {
        return new InputConfig(shortSide, max, scales, augmentation, sizeDivisibility, resize);
    }

    /** The spread of {@link #withScaleJitter}'s scales about s, as a fraction of s. */
    public static final double JITTER_FRACTION = 0.15;

    /**
     * The papers' multi-scale training in a narrow band about the test scale: training draws s − d,
     * s or s + d per image, d = {@value #JITTER_FRACTION} s rounded to a multiple of 32 pixels (at
     * least 32; 64 for s = 416), the lowest at least 16. The test scale stays s, and the cap on the
     * longer side stays {@code maxSize} at every scale, as Detectron2 keeps one cap for all its
     * training sizes.
     */
    public InputConfig withScaleJitter() {
        int d = 32 * Math.max(1, (int) Math.round(JITTER_FRACTION * shortSide / 32));
        return withTrainScales(maxSize, Math.max(16, shortSide - d), shortSide, shortSide + d);
    }

    /** The same with another training augmentation. */
    public InputConfig withAugmentation(Augmentation a) {
        return new InputConfig(shortSide, maxSize, trainScales, a, sizeDivisibility, resize);
    }

    /** The same with the padded size rounded up to a multiple of {@code d}, and test images resized by {@code convention}. */
    public InputConfig withTestTransform(int d, ResizeConvention convention) {
        return new InputConfig(shortSide, maxSize, trainScales, augmentation, d, convention);
    }

    @Override
    public int[] trainScales() {
        return trainScales.clone();
    }

    /** Checks every field; {@code prefix} is this section's path ({@code input}). */
    public void validate(String prefix) {
        ConfigException.atLeast(shortSide, 16, prefix, "shortSide");
        ConfigException.atLeast(maxSize, shortSide, prefix, "maxSize");
        ConfigException.require(trainScales.length > 0, ConfigException.path(prefix, "trainScales"), "needs at least one scale");
        for (int s : trainScales) ConfigException.atLeast(s, 16, prefix, "trainScales");
        ConfigException.atLeast(sizeDivisibility, 1, prefix, "sizeDivisibility");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputConfig c && shortSide == c.shortSide && maxSize == c.maxSize
                && Arrays.equals(trainScales, c.trainScales) && augmentation.equals(c.augmentation)
                && sizeDivisibility == c.sizeDivisibility && resize == c.resize;
    }

    @Override
    public int hashCode() {
        int h = 31 * (31 * (31 * shortSide + maxSize) + Arrays.hashCode(trainScales)) + augmentation.hashCode();
        return 31 * (31 * h + sizeDivisibility) + resize.hashCode();
    }

    @Override
    public String toString() {
        return "InputConfig[shortSide=" + shortSide + ", maxSize=" + maxSize + ", trainScales=" + Arrays.toString(trainScales)
                + ", augmentation=" + augmentation + ", sizeDivisibility=" + sizeDivisibility + ", resize=" + resize + "]";
    }
}
