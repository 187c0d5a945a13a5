package org.rcnn4j.preprocess;

/**
 * Isotropic resizing by Fast R-CNN's scale rule, with bilinear resampling.
 *
 * <p>The rule (Fast R-CNN §2.3 and §5.2 "scale invariance", py-faster-rcnn {@code prep_im_for_blob}): scale
 * the image so its shorter side is {@code s} pixels, unless its longer side would then exceed
 * {@code maxSize}, in which case scale it so the longer side is {@code maxSize}. The paper uses
 * {@code s = 600}, {@code maxSize = 1000}, and for multi-scale training picks {@code s} at random
 * from {480, 576, 688, 864, 1200} (SPP-net's scales) with the longer side capped at 2000.
 *
 * <p>The output is {@code round(W * scale) × round(H * scale)}; boxes are multiplied by the same
 * {@code scale} and output pixel {@code x} samples the input at {@code (x + 0.5) / scale - 0.5}
 * (pixel centres aligned, edges clamped), so boxes and pixels stay exactly registered. Bilinear
 * interpolation does not low-pass filter: strong downscaling (scale &lt; 0.5) aliases, as OpenCV's
 * {@code INTER_LINEAR}, which py-faster-rcnn uses, does.
 */
public final class Resize {
    /** Fixed-point precision of the interpolation weights: 11 bits, as in OpenCV's 8-bit path. */
    private static final int BITS = 11;
    private static final int ONE = 1 << BITS;

    private Resize() {}

    /** An image after resizing, with the factor that was applied to it. */
    public record Resized(RgbImage image, double scale) {}

    /**
     * Fast R-CNN's scale factor for a {@code width × height} image.
     *
     * <p>Examples: 500×375, s = 600, max 1000 → 600 / 375 = 1.6 (800×600); 2000×100, s = 600,
     * max 1000 → 1000 / 2000 = 0.5 (1000×50), because 600 / 100 = 6 would make it 12000 wide.
     *
     * @param shortSide target length of the shorter side, pixels, positive
     * @param maxSize   cap on the longer side, pixels, positive
     */
    public static double scaleFactor(int width, int height, int shortSide, int maxSize) {
        if (width < 1 || height < 1 || shortSide < 1 || maxSize < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height
                    + ", shortSide " + shortSide + ", maxSize " + maxSize);
        }
        int min = Math.min(width, height), max = Math.max(width, height);
        double scale = (double) shortSide / min;
        if (Math.round(scale * max) > maxSize) scale = (double) maxSize / max;
        return scale;
    }

    /** Length of a side of {@code length} pixels after scaling: {@code round(length * scale)}, at least 1. */
    public static int scaledLength(int length, double scale) {
        return (int) Math.max(1, Math.round(length * scale));
    }

    /** Resizes by {@link #scaleFactor} and returns the image with the factor. */
    public static Resized toShortSide(RgbImage image, int shortSide, int maxSize) {
        double scale = scaleFactor(image.width(), image.height(), shortSide, maxSize);
        return new Resized(bilinear(image, scale), scale);
    }

    /**
     * Bilinear resize by {@code scale} to {@code round(W * scale) × round(H * scale)}.
     * Returns the input itself when the size does not change and {@code scale == 1}.
     */
    public static RgbImage bilinear(RgbImage image, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("scale must be positive, got " + scale);
        int w = image.width(), h = image.height();
        int ow = scaledLength(w, scale), oh = scaledLength(h, scale);
        if (scale == 1.0 && ow == w && oh == h) return image;
        int[] x0 = new int[ow], x1 = new int[ow], wx = new int[ow];
        taps(w, ow, scale, x0, x1, wx);
        int[] y0 = new int[oh], y1 = new int[oh], wy = new int[oh];
        taps(h, oh, scale, y0, y1, wy);
        byte[] src = image.pixels();
        byte[] dst = new byte[ow * oh * 3];
        // Separable: each source row is interpolated horizontally once (upscaling reuses it for
        // several output rows), then output rows blend two such rows vertically.
        int[] upper = new int[ow * 3], lower = new int[ow * 3];
        int upperRow = -1, lowerRow = -1;
        int half = 1 << (2 * BITS - 1);
        for (int y = 0; y < oh; y++) {
            if (y0[y] != upperRow) {
                if (y0[y] == lowerRow) {
                    int[] t = upper;
                    upper = lower;
                    lower = t;
                    lowerRow = -1;
                } else {
                    horizontal(src, y0[y] * w * 3, x0, x1, wx, upper);
                }
                upperRow = y0[y];
            }
            if (y1[y] != lowerRow) {
                horizontal(src, y1[y] * w * 3, x0, x1, wx, lower);
                lowerRow = y1[y];
            }
            int b = wy[y], t = ONE - b;
            int o = y * ow * 3;
            for (int i = 0; i < ow * 3; i++) dst[o + i] = (byte) ((upper[i] * t + lower[i] * b + half) >> (2 * BITS));
        }
        return new RgbImage(ow, oh, dst);
    }

    /** One source row interpolated to the output width, in fixed point (values × {@code ONE}). */
    private static void horizontal(byte[] src, int row, int[] x0, int[] x1, int[] wx, int[] out) {
        for (int x = 0, o = 0; x < x0.length; x++) {
            int l = row + x0[x] * 3, r = row + x1[x] * 3;
            int wr = wx[x], wl = ONE - wr;
            out[o++] = (src[l] & 0xFF) * wl + (src[r] & 0xFF) * wr;
            out[o++] = (src[l + 1] & 0xFF) * wl + (src[r + 1] & 0xFF) * wr;
            out[o++] = (src[l + 2] & 0xFF) * wl + (src[r + 2] & 0xFF) * wr;
        }
    }

    /** Source taps and fixed-point weights of the second tap for each output index along one axis. */
    private static void taps(int in, int out, double scale, int[] i0, int[] i1, int[] w1) {
        for (int o = 0; o < out; o++) {
            double s = (o + 0.5) / scale - 0.5;
            s = Math.max(0.0, Math.min(in - 1.0, s));
            int lo = (int) s;
            i0[o] = lo;
            i1[o] = Math.min(lo + 1, in - 1);
            w1[o] = (int) Math.round((s - lo) * ONE);
        }
    }

    /**
     * Boxes multiplied by {@code scale}.
     *
     * @param boxes R×4 {@code x1 y1 x2 y2}, flattened; not modified
     * @return a new R×4 array
     */
    public static float[] scaleBoxes(float[] boxes, double scale) {
        if (boxes.length % 4 != 0) throw new IllegalArgumentException("boxes must be R x 4, got length " + boxes.length);
        float[] out = new float[boxes.length];
        for (int i = 0; i < boxes.length; i++) out[i] = (float) (boxes[i] * scale);
        return out;
    }
}
