package org.rcnn4j.pretrain;

import java.util.SplittableRandom;
import org.rcnn4j.data.synth.FashionMnist;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Renders one Fashion-MNIST item as a square RGB training image that looks like an object of the
 * {@code fashion} detection scenes: the item, cropped to its visible pixels, scaled (bilinear) to a
 * random size with a little aspect jitter, placed at a random position, flipped left-right with
 * probability 1/2, drawn in one random tint with its intensity as alpha, over a background of a
 * colour gradient, coarse blotches, pixel noise and a few thin strokes. Pre-training on these,
 * rather than on the bare 28 x 28 items, makes the features transfer to the composited scenes
 * (R-CNN §2.3: pre-train on image labels, then fine-tune on the detection domain).
 *
 * <p>Deterministic: the image depends only on the item and the random generator given.
 */
final class ItemRenderer {
    /** Smallest and largest longer side of the item, as a fraction of the image side. */
    static final double MIN_SCALE = 0.45, MAX_SCALE = 0.95;
    /** Items' pixels brighter than this (of 255) count as visible when cropping (as the scenes do, 0.2). */
    private static final int VISIBLE = 51;
    private static final int S = FashionMnist.SIDE;

    private final FashionMnist data;
    private final int size;

    ItemRenderer(FashionMnist data, int size) {
        if (size < 16) throw new IllegalArgumentException("image size must be at least 16, got " + size);
        this.data = data;
        this.size = size;
    }

    /**
     * A rendered item.
     *
     * @param image the square image
     * @param box   the item's box {@code x1 y1 x2 y2} in pixels: the rectangle its visible pixels were
     *              scaled into, as tight as a {@code fashion} scene's ground-truth box
     */
    record Rendered(RgbImage image, float[] box) {}

    /** Item {@code item} rendered with draws from {@code rng}. */
    Rendered render(int item, SplittableRandom rng) {
        float[] rgb = background(rng);
        int[] crop = visibleBox(item);
        int cw = crop[2] - crop[0], ch = crop[3] - crop[1];
        double longer = size * (MIN_SCALE + (MAX_SCALE - MIN_SCALE) * rng.nextDouble());
        double aspect = Math.exp(0.3 * (rng.nextDouble() - 0.5));
        double scale = longer / Math.max(cw, ch);
        int dw = clamp((int) Math.round(cw * scale * aspect), 2, size);
        int dh = clamp((int) Math.round(ch * scale / aspect), 2, size);
        int x0 = rng.nextInt(size - dw + 1), y0 = rng.nextInt(size - dh + 1);
        boolean flip = rng.nextBoolean();
        float[] tint = tint(rng, meanLuma(rgb));
        for (int y = 0; y < dh; y++) {
            double sy = (y + 0.5) * ch / dh - 0.5 + crop[1];
            for (int x = 0; x < dw; x++) {
                int xx = flip ? dw - 1 - x : x;
                double sx = (xx + 0.5) * cw / dw - 0.5 + crop[0];
                float a = (float) (bilinear(item, sx, sy) / 255.0);
                int p = ((y0 + y) * size + x0 + x) * 3;
                for (int c = 0; c < 3; c++) rgb[p + c] += a * (tint[c] - rgb[p + c]);
            }
        }
        byte[] px = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) px[i] = (byte) clamp(Math.round(rgb[i]), 0, 255);
        return new Rendered(new RgbImage(size, size, px), new float[] {x0, y0, x0 + dw, y0 + dh});
    }

    /** {@code [x1, y1, x2, y2)} of the pixels brighter than the visibility threshold (the whole item if none). */
    private int[] visibleBox(int item) {
        int x1 = S, y1 = S, x2 = 0, y2 = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                if (data.pixel(item, x, y) > VISIBLE) {
                    x1 = Math.min(x1, x);
                    y1 = Math.min(y1, y);
                    x2 = Math.max(x2, x + 1);
                    y2 = Math.max(y2, y + 1);
                }
            }
        }
        return x2 == 0 ? new int[] {0, 0, S, S} : new int[] {x1, y1, x2, y2};
    }

    private double bilinear(int item, double x, double y) {
        int xa = (int) Math.floor(x), ya = (int) Math.floor(y);
        double fx = x - xa, fy = y - ya;
        return (1 - fy) * ((1 - fx) * px(item, xa, ya) + fx * px(item, xa + 1, ya))
                + fy * ((1 - fx) * px(item, xa, ya + 1) + fx * px(item, xa + 1, ya + 1));
    }

    private int px(int item, int x, int y) {
        return data.pixel(item, clamp(x, 0, S - 1), clamp(y, 0, S - 1));
    }

    /** Gradient between two mid-range colours, 4 x 4 bilinear blotches, pixel noise, 0-3 thin strokes; HWC floats. */
    private float[] background(SplittableRandom rng) {
        float[] out = new float[size * size * 3];
        double[][] colours = {randomColour(rng, 40, 215), randomColour(rng, 40, 215)};
        double angle = 2 * Math.PI * rng.nextDouble();
        double cos = Math.cos(angle), sin = Math.sin(angle);
        double[] grid = new double[25];
        for (int i = 0; i < grid.length; i++) grid[i] = 50 * (rng.nextDouble() - 0.5);
        double noise = 4 + 12 * rng.nextDouble();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double t = clamp01(((x - size / 2.0) * cos + (y - size / 2.0) * sin) / size + 0.5);
                double gx = 4.0 * x / size, gy = 4.0 * y / size;
                int ix = Math.min(3, (int) gx), iy = Math.min(3, (int) gy);
                double fx = gx - ix, fy = gy - iy;
                double blotch = (1 - fy) * ((1 - fx) * grid[iy * 5 + ix] + fx * grid[iy * 5 + ix + 1])
                        + fy * ((1 - fx) * grid[iy * 5 + 5 + ix] + fx * grid[iy * 5 + 6 + ix]);
                int p = (y * size + x) * 3;
                for (int c = 0; c < 3; c++) {
                    out[p + c] = (float) (colours[0][c] + (colours[1][c] - colours[0][c]) * t + blotch + noise * (rng.nextDouble() - 0.5) * 2);
                }
            }
        }
        int strokes = rng.nextInt(4);
        for (int s = 0; s < strokes; s++) stroke(out, rng);
        return out;
    }

    /** A straight 1-px stroke of random colour across part of the image. */
    private void stroke(float[] out, SplittableRandom rng) {
        double[] colour = randomColour(rng, 0, 255);
        double xa = size * rng.nextDouble(), ya = size * rng.nextDouble();
        double xb = size * rng.nextDouble(), yb = size * rng.nextDouble();
        int steps = (int) Math.ceil(Math.max(Math.abs(xb - xa), Math.abs(yb - ya))) + 1;
        for (int i = 0; i <= steps; i++) {
            int x = (int) (xa + (xb - xa) * i / steps), y = (int) (ya + (yb - ya) * i / steps);
            if (x < 0 || y < 0 || x >= size || y >= size) continue;
            int p = (y * size + x) * 3;
            for (int c = 0; c < 3; c++) out[p + c] = (float) colour[c];
        }
    }

    /** A tint that contrasts with the background: bright on dark backgrounds, dark on bright ones, sometimes either. */
    private static float[] tint(SplittableRandom rng, double backgroundLuma) {
        boolean brighter = rng.nextDouble() < 0.15 ? rng.nextBoolean() : backgroundLuma < 128;
        double[] c = brighter ? randomColour(rng, 150, 255) : randomColour(rng, 0, 105);
        return new float[] {(float) c[0], (float) c[1], (float) c[2]};
    }

    private double meanLuma(float[] rgb) {
        double sum = 0;
        for (int i = 0; i < rgb.length; i += 3) sum += 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
        return sum / (rgb.length / 3.0);
    }

    private static double[] randomColour(SplittableRandom rng, int lo, int hi) {
        return new double[] {lo + (hi - lo) * rng.nextDouble(), lo + (hi - lo) * rng.nextDouble(), lo + (hi - lo) * rng.nextDouble()};
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
