package org.rcnn4j.modeling.poolers;

/**
 * FPN's assignment of a RoI to a pyramid level (Lin et al. 2017, §4.2, eq. 1): a RoI of width w
 * and height h (input-image pixels) is pooled from P_k with
 * {@code k = ⌊k0 + log2(√(wh) / 224)⌋}, clamped to the pyramid's levels. 224 is the canonical
 * ImageNet pre-training size and k0 = 4 the level a 224² RoI maps to (the single-scale detectors'
 * C4), so a RoI half as wide goes one level finer.
 *
 * <p>The floor of the base-2 logarithm is read exactly from the binary exponent of
 * {@code √(wh) / canonicalSize}, so a RoI with √(wh) exactly 112, 224 or 448 lands on level 3, 4
 * or 5 with no rounding error. Widths use the continuous convention ({@code x2 - x1}); a RoI of
 * zero area goes to the finest level, a NaN one to the coarsest.
 */
public final class LevelMapper {
    /** FPN eq. 1's canonical RoI side, ImageNet's 224 pixels. */
    public static final double CANONICAL_SIZE = 224;
    /** FPN eq. 1's k0: a 224² RoI pools from P4. */
    public static final int CANONICAL_LEVEL = 4;

    private final int minLevel;
    private final int maxLevel;
    private final double canonicalSize;
    private final int canonicalLevel;

    /** The paper's mapper over P2..P5: k0 = 4, canonical size 224. */
    public LevelMapper() {
        this(2, 5, CANONICAL_SIZE, CANONICAL_LEVEL);
    }

    /**
     * @param minLevel       finest level (2 for P2)
     * @param maxLevel       coarsest level (5 for P5), at least {@code minLevel}
     * @param canonicalSize  the RoI side that maps to {@code canonicalLevel} (224), positive
     * @param canonicalLevel k0 (4)
     */
    public LevelMapper(int minLevel, int maxLevel, double canonicalSize, int canonicalLevel) {
        if (maxLevel < minLevel) throw new IllegalArgumentException("maxLevel " + maxLevel + " < minLevel " + minLevel);
        if (!(canonicalSize > 0) || Double.isInfinite(canonicalSize)) {
            throw new IllegalArgumentException("canonicalSize must be finite and positive: " + canonicalSize);
        }
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.canonicalSize = canonicalSize;
        this.canonicalLevel = canonicalLevel;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    /** Number of levels, {@code maxLevel - minLevel + 1}. */
    public int levels() {
        return maxLevel - minLevel + 1;
    }

    /** The level k of a RoI of width {@code w} and height {@code h} (pixels). */
    public int level(double w, double h) {
        double side = Math.sqrt(Math.max(0, w) * Math.max(0, h));
        if (Double.isNaN(side)) return maxLevel;
        if (side == 0) return minLevel;
        // Math.getExponent(x) = ⌊log2 x⌋ exactly for normal x; subnormal and infinite ratios clamp below.
        long k = canonicalLevel + (long) Math.getExponent(side / canonicalSize);
        return (int) Math.max(minLevel, Math.min(maxLevel, k));
    }

    /**
     * The level of each of R RoIs, as an index from 0 ({@code minLevel}).
     *
     * @param rois R boxes, 4R floats, x1 y1 x2 y2 in input-image pixels
     * @return R level indices in {@code [0, levels())}
     */
    public int[] levelIndices(float[] rois) {
        int[] out = new int[rois.length / 4];
        for (int r = 0; r < out.length; r++) {
            out[r] = level(rois[4 * r + 2] - rois[4 * r], rois[4 * r + 3] - rois[4 * r + 1]) - minLevel;
        }
        return out;
    }
}
