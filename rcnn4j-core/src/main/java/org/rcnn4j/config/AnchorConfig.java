package org.rcnn4j.config;

import java.util.Arrays;

/**
 * The RPN's anchor boxes at each position of a single map (Faster R-CNN §3.1.1). Serialised as
 * {@code anchors}.
 *
 * @param sizes  anchor sides in input pixels (the paper: 128, 256, 512, i.e. areas 128²..512²)
 * @param ratios aspect ratios h/w (0.5, 1, 2)
 */
public record AnchorConfig(float[] sizes, float[] ratios) {
    /** The paper's ratios 1:2, 1:1, 2:1 (Faster R-CNN §3.1.1; FPN §4.1). */
    public static final float[] PAPER_RATIOS = {0.5f, 1f, 2f};

    public AnchorConfig {
        sizes = sizes == null ? null : sizes.clone();
        ratios = ratios == null ? null : ratios.clone();
    }

    /** The paper's k = 9 anchors: sides 128, 256, 512 × ratios 1:2, 1:1, 2:1. */
    public static AnchorConfig paper() {
        return new AnchorConfig(new float[] {128, 256, 512}, PAPER_RATIOS);
    }

    /** {@code sizes} × the paper's ratios. */
    public static AnchorConfig of(float[] sizes) {
        return new AnchorConfig(sizes, PAPER_RATIOS);
    }

    @Override
    public float[] sizes() {
        return sizes.clone();
    }

    @Override
    public float[] ratios() {
        return ratios.clone();
    }

    /** k, anchors per position. */
    public int perCell() {
        return sizes.length * ratios.length;
    }

    /** Checks every field; {@code prefix} is this section's path ({@code anchors}). */
    public void validate(String prefix) {
        positive(sizes, prefix, "sizes");
        positive(ratios, prefix, "ratios");
    }

    static void positive(float[] values, String prefix, String name) {
        String field = ConfigException.path(prefix, name);
        ConfigException.require(values != null && values.length > 0, field, "needs at least one value");
        for (float v : values) ConfigException.require(v > 0 && Float.isFinite(v), field, "must be positive, got " + v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnchorConfig c && Arrays.equals(sizes, c.sizes) && Arrays.equals(ratios, c.ratios);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sizes) + Arrays.hashCode(ratios);
    }

    @Override
    public String toString() {
        return "AnchorConfig[sizes=" + Arrays.toString(sizes) + ", ratios=" + Arrays.toString(ratios) + "]";
    }
}
