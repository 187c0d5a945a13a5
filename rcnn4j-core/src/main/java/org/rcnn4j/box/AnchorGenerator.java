package org.rcnn4j.box;

import java.util.Arrays;

/**
 * Anchors: the reference boxes of a Region Proposal Network (Faster R-CNN §3.1.1), first as a small
 * set of A "cell anchors" around one position, then replicated at every position of an H×W feature
 * map ({@link #shifted}).
 *
 * <p>Two ways to make cell anchors:
 * <ul>
 *   <li>{@link #generateAnchors}: py-faster-rcnn's {@code generate_anchors}, bit for bit, in its
 *       inclusive-pixel convention (Faster R-CNN: base 16, ratios 0.5, 1, 2, scales 8, 16, 32, i.e.
 *       areas 128², 256², 512²);</li>
 *   <li>{@link #cellAnchors}: by sizes and aspect ratios in the continuous convention, centred at 0
 *       (torchvision / Detectron2; FPN §4.1 uses one size per level, 32 to 512, × ratios 0.5, 1, 2).</li>
 * </ul>
 * The aspect ratio is {@code h / w} in both.
 */
public final class AnchorGenerator {

    private AnchorGenerator() {}

    /**
     * py-faster-rcnn's {@code generate_anchors(base_size, ratios, scales)}, inclusive-pixel
     * convention ({@code w = x2 - x1 + 1}, centre {@code x1 + (w - 1) / 2}).
     *
     * <p>The reference anchor is {@code [0, 0, base - 1, base - 1]}, centre ((base-1)/2, (base-1)/2).
     * For each ratio r (area-preserving): {@code ws = round(sqrt(base² / r))},
     * {@code hs = round(ws * r)}; for each scale s of each such anchor: {@code w = ws * s},
     * {@code h = hs * s}, same centre. {@code round} is round-half-to-even (NumPy's {@code np.round},
     * so e.g. 11.5 rounds to 12 and 12.5 to 12). Rows are ratio-major, scale-minor.
     *
     * <p>For boxes in rcnn4j's continuous convention apply {@link Boxes#fromInclusive}.
     *
     * @param baseSize the reference anchor's side in pixels (the feature stride, 16 for VGG16 conv5)
     * @param ratios   aspect ratios h / w
     * @param scales   multipliers of the ratio anchors' sides
     * @return A = ratios.length × scales.length anchors, 4A floats, inclusive convention
     */
    public static float[] generateAnchors(int baseSize, double[] ratios, double[] scales) {
        double size = (double) baseSize * baseSize;
        double centre = 0.5 * (baseSize - 1);
        float[] out = new float[4 * ratios.length * scales.length];
        int row = 0;
        for (double ratio : ratios) {
            requirePositive(ratio, "ratio");
            double ws = Math.rint(Math.sqrt(size / ratio)); // Math.rint: round half to even
            double hs = Math.rint(ws * ratio);
            // The ratio anchor has centre (centre, centre) and size ws × hs; scaling keeps the centre.
            for (double scale : scales) {
                requirePositive(scale, "scale");
                double w = ws * scale;
                double h = hs * scale;
                out[4 * row] = (float) (centre - 0.5 * (w - 1));
                out[4 * row + 1] = (float) (centre - 0.5 * (h - 1));
                out[4 * row + 2] = (float) (centre + 0.5 * (w - 1));
                out[4 * row + 3] = (float) (centre + 0.5 * (h - 1));
                row++;
            }
        }
        return out;
    }

    /**
     * Cell anchors by size and aspect ratio, continuous convention, centred at (0, 0): for size s and
     * ratio r = h / w, {@code w = s / sqrt(r)}, {@code h = s * sqrt(r)} (area s²), the box
     * {@code [-w/2, -h/2, w/2, h/2]}. No rounding. Rows are ratio-major, size-minor, the order of
     * {@link #generateAnchors} and torchvision.
     *
     * @param sizes        anchor sides in pixels (square root of the area), e.g. {32} for FPN's P2
     * @param aspectRatios ratios h / w, e.g. {0.5, 1, 2}
     * @return A = aspectRatios.length × sizes.length anchors, 4A floats
     */
    public static float[] cellAnchors(double[] sizes, double[] aspectRatios) {
        float[] out = new float[4 * sizes.length * aspectRatios.length];
        int row = 0;
        for (double ratio : aspectRatios) {
            requirePositive(ratio, "aspect ratio");
            double root = Math.sqrt(ratio);
            for (double size : sizes) {
                requirePositive(size, "size");
                double halfW = 0.5 * size / root;
                double halfH = 0.5 * size * root;
                out[4 * row] = (float) -halfW;
                out[4 * row + 1] = (float) -halfH;
                out[4 * row + 2] = (float) halfW;
                out[4 * row + 3] = (float) halfH;
                row++;
            }
        }
        return out;
    }

    /**
     * The cell anchors replicated at every feature-map position: position (y, x) shifts each anchor
     * by {@code (x * stride, y * stride)} on both corners (py-faster-rcnn's {@code shifts}), so the
     * anchors keep whichever pixel convention the cell anchors have. Row order is position-major
     * (y outer, x inner), anchor-minor: row {@code (y * W + x) * A + a}, matching an RPN head output
     * laid out H×W×A.
     *
     * @param cellAnchors A anchors, 4A floats
     * @param featH       feature map height H (cells)
     * @param featW       feature map width W (cells)
     * @param stride      input pixels per feature cell
     * @return H·W·A anchors, 4·H·W·A floats
     */
    public static float[] shifted(float[] cellAnchors, int featH, int featW, float stride) {
        return shifted(cellAnchors, featH, featW, stride, stride);
    }

    /**
     * {@link #shifted(float[], int, int, float)} with a stride per axis: position (y, x) shifts by
     * {@code (x * strideX, y * strideY)}. torchvision steps each level's anchors by the padded input's
     * size divided by the map's ({@code image_size // feature_size}), which is not the nominal stride
     * when a map's side was rounded up (its P6 of 9 cells on a 544-pixel input steps by 60).
     *
     * @param strideY input pixels per cell down
     * @param strideX input pixels per cell across
     */
    public static float[] shifted(float[] cellAnchors, int featH, int featW, float strideY, float strideX) {
        int a = Boxes.count(cellAnchors);
        if (featH < 0 || featW < 0) {
            throw new IllegalArgumentException("negative feature map size " + featH + "x" + featW);
        }
        long total = 4L * featH * featW * a;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many anchors: " + total / 4);
        }
        float[] out = new float[(int) total];
        int o = 0;
        for (int y = 0; y < featH; y++) {
            float sy = y * strideY;
            for (int x = 0; x < featW; x++) {
                float sx = x * strideX;
                for (int k = 0; k < 4 * a; k += 4) {
                    out[o++] = cellAnchors[k] + sx;
                    out[o++] = cellAnchors[k + 1] + sy;
                    out[o++] = cellAnchors[k + 2] + sx;
                    out[o++] = cellAnchors[k + 3] + sy;
                }
            }
        }
        return out;
    }

    /**
     * Indices of the anchors lying fully inside the image, widened by {@code allowedBorder} pixels
     * on each side; Faster R-CNN §3.3 ignores cross-boundary anchors in training (py-faster-rcnn's
     * {@code RPN allowed_border}, 0). Continuous convention: kept when {@code x1 >= -b},
     * {@code y1 >= -b}, {@code x2 <= width + b}, {@code y2 <= height + b}. (py-faster-rcnn tests
     * {@code x2 < width + b} on inclusive anchors; for integer corners that is the same test after
     * {@link Boxes#fromInclusive}.) Anchors with a NaN corner are not inside.
     *
     * @param anchors       N anchors, continuous convention
     * @param width         image width in pixels
     * @param height        image height in pixels
     * @param allowedBorder slack in pixels (0 = strictly inside)
     * @return indices of inside anchors, ascending
     */
    public static int[] insideImage(float[] anchors, int width, int height, float allowedBorder) {
        int n = Boxes.count(anchors);
        float left = -allowedBorder;
        float right = width + allowedBorder;
        float bottom = height + allowedBorder;
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            if (anchors[o] >= left && anchors[o + 1] >= left && anchors[o + 2] <= right && anchors[o + 3] <= bottom) {
                keep[k++] = i;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    private static void requirePositive(double v, String what) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and positive: " + v);
        }
    }
}
