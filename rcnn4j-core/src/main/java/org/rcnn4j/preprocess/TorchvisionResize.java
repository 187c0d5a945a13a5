package org.rcnn4j.preprocess;

import java.util.List;
import org.rcnn4j.data.ImageRecord;

/**
 * torchvision's detection transform ({@code GeneralizedRCNNTransform}), which a model imported from
 * torchvision needs to see its inputs as it was trained to: normalise the image first, then resize
 * the floats bilinearly, then pad. Three details differ from {@link Resize}'s 8-bit path, each by a
 * fraction of a pixel or a rounding step:
 * <ul>
 *   <li>the scale is {@code min(s / short, max / long)} computed in float32 as PyTorch does (see
 *       {@link #scaleFactor}), and a side becomes {@code floor(side × scale)} (1500 pixels capped at
 *       1333 give 1332);</li>
 *   <li>the interpolation runs on normalised floats, with PyTorch's {@code interpolate(mode="bilinear",
 *       align_corners=False)} rule: output index i samples {@code max(0, (i + 0.5)·in/out − 0.5)},
 *       without antialiasing (see {@link #taps} for the precision);</li>
 *   <li>no rounding to bytes after resizing.</li>
 * </ul>
 */
public final class TorchvisionResize {
    private TorchvisionResize() {}

    /**
     * The scale factor {@code min(shortSide / min(w, h), maxSize / max(w, h))} exactly as torchvision
     * computes it: {@code 800. / min_size} with a 0-d float32 tensor on the right, which PyTorch
     * evaluates as {@code reciprocal(min_size) * 800} in float32. The two roundings matter: for a
     * 1500-pixel side, {@code (1 / 1500) · 1333} is 0.88866663 and gives 1332 pixels, where the
     * correctly rounded quotient 0.88866669 would give 1333.
     */
    public static double scaleFactor(int width, int height, int shortSide, int maxSize) {
        if (width < 1 || height < 1 || shortSide < 1 || maxSize < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height
                    + ", shortSide " + shortSide + ", maxSize " + maxSize);
        }
        float min = Math.min(width, height), max = Math.max(width, height);
        return Math.min((1f / min) * shortSide, (1f / max) * maxSize);
    }

    /** A side of {@code length} pixels after scaling: {@code floor(length × scale)} in double, at least 1. */
    public static int scaledLength(int length, double scale) {
        return (int) Math.max(1, Math.floor(length * scale));
    }

    /**
     * Bilinear resize of a C×H×W float image to C×outH×outW, PyTorch's {@code align_corners=False}
     * rule in float32 (see the class comment).
     */
    public static float[] bilinear(float[] chw, int channels, int height, int width, int outHeight, int outWidth) {
        if (chw.length != channels * height * width) {
            throw new IllegalArgumentException(chw.length + " values for " + channels + "x" + height + "x" + width);
        }
        int[] y0 = new int[outHeight], y1 = new int[outHeight];
        float[] ly = new float[outHeight];
        taps(height, outHeight, y0, y1, ly);
        int[] x0 = new int[outWidth], x1 = new int[outWidth];
        float[] lx = new float[outWidth];
        taps(width, outWidth, x0, x1, lx);
        float[] out = new float[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int in = c * height * width;
            int o = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int r0 = in + y0[y] * width, r1 = in + y1[y] * width;
                float h1 = ly[y], h0 = 1f - h1;
                for (int x = 0; x < outWidth; x++, o++) {
                    float w1 = lx[x], w0 = 1f - w1;
                    out[o] = h0 * (w0 * chw[r0 + x0[x]] + w1 * chw[r0 + x1[x]]) + h1 * (w0 * chw[r1 + x0[x]] + w1 * chw[r1 + x1[x]]);
                }
            }
        }
        return out;
    }

    /**
     * For each output index: the two input indices and the weight of the second. The ratio is a
     * float32 quotient and the source position is computed from it in double, then the weight
     * rounded to float32: measured against PyTorch 1.13's CPU kernel on a 600 × 1500 → 533 × 1332
     * resize, this agrees to 1e-6 where float32 throughout differs by 3e-4 (a source position near
     * 1053 has an ulp of 1.2e-4 in float32).
     */
    private static void taps(int in, int out, int[] i0, int[] i1, float[] lambda1) {
        double ratio = (float) in / out;
        for (int i = 0; i < out; i++) {
            if (in == out) {
                i0[i] = i;
                i1[i] = i;
                lambda1[i] = 0f;
                continue;
            }
            double src = Math.max(0, ratio * (i + 0.5) - 0.5);
            int a = (int) src;
            i0[i] = a;
            i1[i] = a < in - 1 ? a + 1 : a;
            lambda1[i] = (float) Math.min(Math.max(src - a, 0), 1);
        }
    }

    /**
     * One image as torchvision's transform hands it to the network: normalised, resized in float by
     * {@link #scaleFactor}, zero-padded at the bottom and right to a multiple of
     * {@code sizeDivisibility}. No ground truth (R = 0).
     *
     * @param record describes the image (id, name, size) for the detections that will come back
     */
    public static DetectionBatch batch(RgbImage decoded, ImageRecord record, Normalize normalize, int shortSide, int maxSize,
            int sizeDivisibility) {
        if (sizeDivisibility < 1) throw new IllegalArgumentException("sizeDivisibility must be >= 1, got " + sizeDivisibility);
        int w = decoded.width(), h = decoded.height();
        double scale = scaleFactor(w, h, shortSide, maxSize);
        int ow = scaledLength(w, scale), oh = scaledLength(h, scale);
        float[] resized = bilinear(normalize.toChw(decoded), 3, h, w, oh, ow);
        int ph = (oh + sizeDivisibility - 1) / sizeDivisibility * sizeDivisibility;
        int pw = (ow + sizeDivisibility - 1) / sizeDivisibility * sizeDivisibility;
        float[] pixels = new float[3 * ph * pw];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < oh; y++) System.arraycopy(resized, (c * oh + y) * ow, pixels, (c * ph + y) * pw, ow);
        }
        BatchImage meta = new BatchImage(record, null, 0, 0, w, h, ow, oh, shortSide, scale, false, new float[0], new int[0],
                new boolean[0], new boolean[0]);
        return new DetectionBatch(List.of(meta), pixels, ph, pw);
    }
}
