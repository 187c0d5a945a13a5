package org.rcnn4j.modeling.backbone;

/**
 * One named feature map a backbone can produce: its name ({@code "C4"}), its number of channels
 * and its stride in input pixels.
 *
 * <p>A map of stride {@code s} computed from an {@code H x W} image has {@code ceil(H / s) x ceil(W
 * / s)} cells for every backbone built by {@link Backbones} (each downsampling step maps a side
 * {@code n} to {@code ceil(n / 2)}); cell {@code (i, j)} is centred near input pixel
 * {@code (s * j + s / 2, s * i + s / 2)} (continuous coordinates).
 *
 * @param name     stage name, unique within a backbone ({@code "C2"} .. {@code "C5"} for strides
 *                 4, 8, 16, 32; earlier stages have backbone-specific names)
 * @param channels number of channels C of the map, at least 1
 * @param stride   input pixels per map cell, a power of two
 */
public record FeatureSpec(String name, int channels, int stride) {
    public FeatureSpec {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("feature name must not be empty");
        if (channels < 1) throw new IllegalArgumentException("channels must be positive, got " + channels);
        if (stride < 1 || Integer.bitCount(stride) != 1) {
            throw new IllegalArgumentException("stride must be a power of two, got " + stride);
        }
    }

    /** Map side for an input side of {@code inputSide} pixels: {@code ceil(inputSide / stride)}. */
    public int mapSize(int inputSide) {
        return (inputSide + stride - 1) / stride;
    }
}
