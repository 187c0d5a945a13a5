package org.rcnn4j.preprocess;

import java.util.Arrays;

/**
 * Per-channel normalisation of an 8-bit RGB image into a CHW float array, the layout the
 * backbones take.
 *
 * <p>For channel {@code c} and byte value {@code v} (0..255) the output is
 * {@code (v / 255 - mean[c]) / std[c]} when {@link #unitRange()} (means and deviations expressed on
 * [0, 1], torchvision's convention) and {@code (v - mean[c]) / std[c]} otherwise (on [0, 255], the
 * Caffe convention py-faster-rcnn uses). Channels are in R, G, B order in both cases.
 *
 * <p>Each channel has only 256 possible inputs, so the mapping is a lookup table built once: the
 * per-pixel work is one array read.
 */
public final class Normalize {
    private final float[] mean;
    private final float[] std;
    private final boolean unitRange;
    private final float[][] table = new float[3][256];

    /**
     * @param mean      R, G, B means, on [0, 1] when {@code unitRange}, else on [0, 255]
     * @param std       R, G, B standard deviations on the same range; positive
     * @param unitRange whether pixel bytes are first divided by 255
     */
    public Normalize(float[] mean, float[] std, boolean unitRange) {
        if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("std must be positive and finite, mean finite: mean "
                        + Arrays.toString(mean) + ", std " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.unitRange = unitRange;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                double x = unitRange ? v / 255.0 : v;
                table[c][v] = (float) ((x - mean[c]) / std[c]);
            }
        }
    }

    /** ImageNet statistics on [0, 1] (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225): for torchvision-style backbones. */
    public static Normalize imagenet() {
        return new Normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, true);
    }

    /**
     * py-faster-rcnn's {@code PIXEL_MEANS} (BGR 102.9801, 115.9465, 122.7717, here in RGB order) on
     * [0, 255], no scaling: for Caffe-trained VGG16 weights.
     */
    public static Normalize caffe() {
        return new Normalize(new float[] {122.7717f, 115.9465f, 102.9801f}, new float[] {1f, 1f, 1f}, false);
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    public boolean unitRange() {
        return unitRange;
    }

    /** The normalised value of byte {@code value} (0..255) in channel {@code channel} (0 = R). */
    public float apply(int channel, int value) {
        return table[channel][value];
    }

    /** The image as a new 3×H×W array. */
    public float[] toChw(RgbImage image) {
        float[] out = new float[3 * image.width() * image.height()];
        toChw(image, out, 0, image.height(), image.width());
        return out;
    }

    /**
     * Writes the image into the top-left corner of a 3×{@code planeHeight}×{@code planeWidth} block
     * of {@code dst} starting at {@code offset}, leaving the rest of the block untouched (zero padding
     * in a freshly allocated batch).
     */
    public void toChw(RgbImage image, float[] dst, int offset, int planeHeight, int planeWidth) {
        int w = image.width(), h = image.height();
        if (w > planeWidth || h > planeHeight) {
            throw new IllegalArgumentException("image " + w + "x" + h + " does not fit " + planeWidth + "x" + planeHeight);
        }
        byte[] px = image.pixels();
        int plane = planeHeight * planeWidth;
        float[] r = table[0], g = table[1], b = table[2];
        for (int y = 0; y < h; y++) {
            int s = y * w * 3;
            int d = offset + y * planeWidth;
            for (int x = 0; x < w; x++, s += 3, d++) {
                dst[d] = r[px[s] & 0xFF];
                dst[d + plane] = g[px[s + 1] & 0xFF];
                dst[d + 2 * plane] = b[px[s + 2] & 0xFF];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && unitRange == n.unitRange && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(std)) + Boolean.hashCode(unitRange);
    }

    @Override
    public String toString() {
        return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", unitRange=" + unitRange + "]";
    }
}
