package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;

/**
 * R-CNN's region warping (Girshick et al. 2014, §2.1 and Appendix A; {@code rcnn_im_crop.m} in
 * "warp" mode): every region proposal, enlarged to hold context, is warped anisotropically to a
 * W×W square of image pixels, which the CNN then reads as a whole image.
 *
 * <p><b>Context.</b> With p pixels of context at the warped size, the box is dilated around its
 * centre by {@code s = W / (W − 2p)} (227 / 195 for the paper's W = 227, p = 16), so that after the
 * warp the box itself spans {@code [p, W − p]} on both axes. Per axis, with the box {@code [lo, hi]}
 * in continuous pixels (the reference's {@code (x2 − x1 + 1) / 2} half size is {@code (hi − lo) / 2}
 * here), the context window is
 * <pre>
 *   a = round(c − s·(hi − lo)/2),   b = round(c + s·(hi − lo)/2),   c = (lo + hi) / 2
 * </pre>
 * rounded half away from zero as MATLAB does, at least one pixel wide. (The reference, counting
 * inclusive 1-based pixels, puts the window's centre half a pixel right of the box's and makes it
 * one pixel wider; the window here is symmetric about the box.) With p = 0 the window is the box,
 * rounded to whole pixels.
 *
 * <p><b>Warp.</b> Per axis, the window's {@code b − a} pixels map onto W output pixels
 * (factor {@code f = W / (b − a)}, separately for x and y: the warp is anisotropic). The part of the
 * window outside the image is padding: {@code round((max(a, 0) − a)·f)} output pixels before the
 * content and whatever is left after {@code round(clippedLength·f)} content pixels, all 0, which
 * after mean subtraction is the mean colour. The content resamples the clipped window's pixels
 * bilinearly with pixel centres aligned and no antialiasing (MATLAB {@code imresize(...,
 * 'bilinear', 'antialiasing', false)}, OpenCV's {@code resize} in Caffe's {@code WindowDataLayer}):
 * content pixel k reads window coordinate {@code (k + 0.5)·clippedLength/count − 0.5}, clamped to
 * the window's first and last pixel. A window wholly outside the image warps to zeros.
 *
 * <p><b>Shapes.</b> The first map is the batch's normalised image tensor {@code (N, C, H, W_img)}
 * (C = 3), stride 1; R regions, 4R floats {@code x1 y1 x2 y2} in its pixels; the output is
 * {@code (R, C, W, W)}, float32 (cast to the image's type if that differs), created in the image's
 * manager.
 *
 * <p><b>How.</b> The warp is separable: per region, each output row reads two image rows and each
 * output column two image columns, with weights that do not depend on the channel. Those positions
 * and weights are computed once per region and axis, then every output value is summed in plain
 * Java, regions in parallel, and the whole set becomes one NDArray. No gradient flows to the image:
 * R-CNN fine-tunes the CNN on the warped crops, not through the warp. (A native gather of four
 * weighted pixels per output value, as {@link RoIAlign} does, would need an index of
 * {@code 4·R·W²} entries, 412 million for R = 2000 at W = 227, several gigabytes for what the
 * loop reads directly from the image.)
 *
 * <p><b>Cost.</b> The output is large: {@code 4·R·C·W²} bytes, 1.2 GB for R = 2000 at W = 227.
 * Measured with {@code RegionWarpBench} (2026-12-03, commit b7a55c8) on a shared, loaded 2-core
 * machine (R = 2000 on a 320×320 image): the Java warp 0.5–0.9 s at W = 227 and 0.06–0.09 s at
 * W = 64; the whole call 5.1–5.6 s and 0.35 s, most of it first touching the result's freshly allocated native memory (a bare
 * {@code NDManager.zeros} of 1.2 GB took 4–9 s there). Callers that feed a CNN in batches should warp
 * a batch of regions per call.
 */
public final class RegionWarp implements RegionPooler {

    /** The paper's warped size W: AlexNet's 227×227 input. */
    public static final int RCNN_WARP_SIZE = 227;
    /** The paper's context p: 16 pixels at the warped size (Appendix A). */
    public static final int RCNN_CONTEXT = 16;

    private final int warpSize;
    private final int context;
    private final double dilation;

    /** The paper's warp: W = 227, p = 16. */
    public RegionWarp() {
        this(RCNN_WARP_SIZE, RCNN_CONTEXT);
    }

    /**
     * @param warpSize W, the side of the warped square, at least 1
     * @param context  p, pixels of context on each side at the warped size, {@code 0 ≤ 2p < W}
     */
    public RegionWarp(int warpSize, int context) {
        if (warpSize < 1 || context < 0 || 2L * context >= warpSize) {
            throw new IllegalArgumentException("need W >= 1 and 0 <= 2p < W, got W = " + warpSize + ", p = " + context);
        }
        this.warpSize = warpSize;
        this.context = context;
        this.dilation = (double) warpSize / (warpSize - 2 * context);
    }

    /** W, the side of the warped square. */
    @Override
    public int outputSize() {
        return warpSize;
    }

    /** p, pixels of context at the warped size. */
    public int context() {
        return context;
    }

    /** The box's dilation {@code W / (W − 2p)}. */
    public double dilation() {
        return dilation;
    }

    /**
     * Warps image {@code image}'s regions.
     *
     * @param maps  the batch's normalised images {@code (N, C, H, W_img)} first; the rest is not read
     * @param image the image's index in the batch
     * @param rois  R regions, 4R finite floats {@code x1 y1 x2 y2} in image pixels; R = 0 is allowed
     * @return {@code (R, C, W, W)} in the images' manager; not differentiable with respect to them
     */
    @Override
    public NDArray pool(List<NDArray> maps, int image, float[] rois) {
        NDArray images = maps.get(0);
        Shape shape = images.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException("images must be (N, C, H, W), got " + shape);
        }
        if (image < 0 || image >= shape.get(0)) {
            throw new IllegalArgumentException("image " + image + " outside a batch of " + shape.get(0));
        }
        checkRois(rois);
        int channels = Math.toIntExact(shape.get(1));
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));
        int regions = rois.length / 4;
        NDManager manager = images.getManager();
        Shape out = new Shape(regions, channels, warpSize, warpSize);
        if (regions == 0) {
            return manager.zeros(out, images.getDataType());
        }
        float[] pixels;
        try (NDArray one = images.get(image); NDArray asFloat = one.toType(DataType.FLOAT32, true)) {
            pixels = asFloat.toFloatArray();
        }
        NDArray warped = manager.create(warp(pixels, channels, height, width, rois), out);
        if (images.getDataType() != DataType.FLOAT32) {
            try (NDArray f = warped) {
                warped = f.toType(images.getDataType(), true);
            }
        }
        return warped;
    }

    /**
     * The warp on plain arrays.
     *
     * @param pixels one image, {@code (C, H, W_img)} row-major
     * @return {@code (R, C, W, W)} row-major
     */
    float[] warp(float[] pixels, int channels, int height, int width, float[] rois) {
        if (pixels.length != (long) channels * height * width) {
            throw new IllegalArgumentException("expected " + channels + "×" + height + "×" + width + " pixels, got " + pixels.length);
        }
        checkRois(rois);
        int regions = rois.length / 4;
        long total = (long) regions * channels * warpSize * warpSize;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(regions + " regions of " + channels + "×" + warpSize + "×" + warpSize
                    + " exceed one array; warp them in smaller groups");
        }
        float[] out = new float[(int) total];
        IntStream.range(0, regions).parallel().forEach(r -> {
            Axis xs = axis(rois[4 * r], rois[4 * r + 2], width);
            Axis ys = axis(rois[4 * r + 1], rois[4 * r + 3], height);
            warpOne(pixels, channels, height, width, xs, ys, out, r);
        });
        return out;
    }

    /**
     * The context windows of the regions: each box dilated by {@link #dilation()} around its centre
     * and rounded to whole pixels, before clipping to the image (the reference's
     * {@code bbox} after dilation).
     *
     * @return 4R floats {@code a_x a_y b_x b_y}
     */
    public float[] contextWindows(float[] rois) {
        checkRois(rois);
        float[] out = new float[rois.length];
        for (int i = 0; i < rois.length; i += 4) {
            double[] x = window(rois[i], rois[i + 2]);
            double[] y = window(rois[i + 1], rois[i + 3]);
            out[i] = (float) x[0];
            out[i + 1] = (float) y[0];
            out[i + 2] = (float) x[1];
            out[i + 3] = (float) y[1];
        }
        return out;
    }

    /** The dilated, rounded window {@code [a, b]} of the box side {@code [lo, hi]}, b ≥ a + 1. */
    private double[] window(float lo, float hi) {
        double centre = 0.5 * ((double) lo + hi);
        double half = 0.5 * ((double) hi - lo) * dilation;
        double a = roundHalfAway(centre - half);
        double b = roundHalfAway(centre + half);
        // A box under a pixel (or inverted) still warps from one whole pixel, as the reference's
        // inclusive pixel count never drops below 1.
        return new double[] {a, Math.max(b, a + 1)};
    }

    /**
     * One axis of a region's warp: output pixels {@code [pad, pad + count)} are content, the rest
     * padding; content pixel k blends image pixels {@code low[k]} and {@code high[k]} by
     * {@code frac[k]}.
     */
    private record Axis(int pad, int count, int[] low, int[] high, float[] frac) {}

    private Axis axis(float lo, float hi, int length) {
        double[] ab = window(lo, hi);
        double a = ab[0];
        double b = ab[1];
        double factor = warpSize / (b - a);
        double first = Math.max(a, 0);
        double clipped = Math.min(b, length) - first;
        if (!(clipped >= 1)) {
            return new Axis(0, 0, new int[0], new int[0], new float[0]);
        }
        int pad = (int) Math.min(roundHalfAway((first - a) * factor), warpSize);
        int count = (int) Math.min(roundHalfAway(clipped * factor), warpSize - pad);
        int start = (int) first;
        int pixels = (int) clipped;
        int[] low = new int[count];
        int[] high = new int[count];
        float[] frac = new float[count];
        for (int k = 0; k < count; k++) {
            // Pixel centres aligned (half-pixel offsets), clamped at the window's ends: imresize's
            // symmetric border and OpenCV's replicated border agree for a 2-tap kernel.
            double u = Math.min(Math.max((k + 0.5) * pixels / count - 0.5, 0), pixels - 1);
            int l = (int) u;
            low[k] = start + l;
            high[k] = start + Math.min(l + 1, pixels - 1);
            frac[k] = (float) (u - l);
        }
        return new Axis(pad, count, low, high, frac);
    }

    /** Writes region r's content; padding stays 0 from the array's allocation. */
    private void warpOne(float[] pixels, int channels, int height, int width, Axis xs, Axis ys, float[] out, int r) {
        if (xs.count == 0 || ys.count == 0) {
            return;
        }
        int area = height * width;
        int plane = warpSize * warpSize;
        int[] x0 = xs.low;
        int[] x1 = xs.high;
        float[] fx = xs.frac;
        for (int c = 0; c < channels; c++) {
            int source = c * area;
            int target = (r * channels + c) * plane + ys.pad * warpSize + xs.pad;
            for (int i = 0; i < ys.count; i++, target += warpSize) {
                int top = source + ys.low[i] * width;
                int bottom = source + ys.high[i] * width;
                float fy = ys.frac[i];
                for (int j = 0; j < xs.count; j++) {
                    float t = pixels[top + x0[j]];
                    float b = pixels[bottom + x0[j]];
                    t += fx[j] * (pixels[top + x1[j]] - t);
                    b += fx[j] * (pixels[bottom + x1[j]] - b);
                    out[target + j] = t + fy * (b - t);
                }
            }
        }
    }

    /** MATLAB's {@code round}: halves away from zero ({@link Math#round} takes them up). */
    static double roundHalfAway(double v) {
        return Math.copySign(Math.floor(Math.abs(v) + 0.5), v);
    }

    private static void checkRois(float[] rois) {
        if (rois.length % 4 != 0) {
            throw new IllegalArgumentException("rois.length must be a multiple of 4, got " + rois.length);
        }
        for (int i = 0; i < rois.length; i++) {
            if (!Float.isFinite(rois[i])) {
                throw new IllegalArgumentException("rois[" + i + "] is not finite: " + rois[i]);
            }
        }
    }
}
