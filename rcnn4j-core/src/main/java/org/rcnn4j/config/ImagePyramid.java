package org.rcnn4j.config;

import java.util.Arrays;

/**
 * The test-time image pyramid (SPP-net §3.1's multi-view testing, Fast R-CNN §5.2): the image at
 * several scales, the conv maps once per scale, each RoI pooled from the scale where its area is
 * nearest {@code canonicalSide²}. One scale is ordinary single-scale testing. Serialised as
 * {@code pyramid} in a Fast R-CNN config.
 *
 * @param testScales    shorter sides, ascending (one value: single scale)
 * @param canonicalSide 224 (ImageNet's input side)
 */
public record ImagePyramid(int[] testScales, int canonicalSide) {
    /** ImageNet's input side, the RoI size the scale assignment aims at (SPP-net §3.1, Fast R-CNN §5.2). */
    public static final int CANONICAL_SIDE = 224;

    public ImagePyramid {
        if (testScales == null || testScales.length == 0) throw new ConfigException("pyramid.testScales", "needs at least one scale");
        testScales = testScales.clone();
    }

    /** Single-scale testing at {@code shortSide}. */
    public static ImagePyramid single(int shortSide) {
        return new ImagePyramid(new int[] {shortSide}, CANONICAL_SIDE);
    }

    @Override
    public int[] testScales() {
        return testScales.clone();
    }

    /** Whether testing runs more than one scale. */
    public boolean multiScale() {
        return testScales.length > 1;
    }

    /** Checks every field; {@code prefix} is this section's path ({@code pyramid}). */
    public void validate(String prefix) {
        for (int i = 0; i < testScales.length; i++) {
            ConfigException.atLeast(testScales[i], 16, prefix, "testScales");
            if (i > 0) ConfigException.require(testScales[i] > testScales[i - 1], ConfigException.path(prefix, "testScales"), "must ascend");
        }
        ConfigException.atLeast(canonicalSide, 1, prefix, "canonicalSide");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImagePyramid p && Arrays.equals(testScales, p.testScales) && canonicalSide == p.canonicalSide;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(testScales) + canonicalSide;
    }

    @Override
    public String toString() {
        return "ImagePyramid[testScales=" + Arrays.toString(testScales) + ", canonicalSide=" + canonicalSide + "]";
    }
}
