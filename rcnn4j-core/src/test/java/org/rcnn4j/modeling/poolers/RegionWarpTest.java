package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** R-CNN's region warp against a per-pixel reference loop and hand-computed windows. */
class RegionWarpTest {

    /**
     * Three channels: x (the pixel's column), y (its row) and a smooth non-linear pattern, so that
     * bilinear interpolation of the first two is exact and of the third is not.
     */
    private static float[] gradientImage(int h, int w) {
        float[] v = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = x;
                v[h * w + y * w + x] = y;
                v[2 * h * w + y * w + x] = (float) (Math.sin(0.3 * x) * Math.cos(0.17 * y) + 0.01 * x * y);
            }
        }
        return v;
    }

    /** Pools through the {@link RegionPooler} interface from a one-image batch. */
    private static float[] pool(RegionWarp warp, float[] image, int h, int w, float[] rois) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.create(image, new Shape(1, 3, h, w));
            NDArray out = warp.pool(List.of(batch), 0, rois);
            int r = rois.length / 4;
            assertEquals(new Shape(r, 3, warp.outputSize(), warp.outputSize()), out.getShape());
            return out.toFloatArray();
        }
    }

    /**
     * The slow reference: crop the box's pixels, then resize them to size × size with bilinear
     * interpolation, pixel centres aligned and coordinates clamped to the crop, one output value
     * at a time in double precision.
     */
    private static double[] resampleBox(float[] image, int h, int w, int x1, int y1, int x2, int y2, int size) {
        int bw = x2 - x1;
        int bh = y2 - y1;
        double[] out = new double[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < size; i++) {
                double v = Math.min(Math.max((i + 0.5) * bh / size - 0.5, 0), bh - 1);
                int r0 = (int) Math.floor(v);
                int r1 = Math.min(r0 + 1, bh - 1);
                for (int j = 0; j < size; j++) {
                    double u = Math.min(Math.max((j + 0.5) * bw / size - 0.5, 0), bw - 1);
                    int c0 = (int) Math.floor(u);
                    int c1 = Math.min(c0 + 1, bw - 1);
                    double fy = v - r0;
                    double fx = u - c0;
                    double p00 = image[(c * h + y1 + r0) * w + x1 + c0];
                    double p01 = image[(c * h + y1 + r0) * w + x1 + c1];
                    double p10 = image[(c * h + y1 + r1) * w + x1 + c0];
                    double p11 = image[(c * h + y1 + r1) * w + x1 + c1];
                    out[(c * size + i) * size + j] = (1 - fy) * ((1 - fx) * p00 + fx * p01) + fy * ((1 - fx) * p10 + fx * p11);
                }
            }
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    @Test
    void withoutContextABoxIsItsOwnBilinearResample() {
        int h = 60, w = 80;
        float[] image = gradientImage(h, w);
        for (int size : new int[] {17, 32, 227}) {
            // Shrunk (40×30 to 17×17), enlarged, and a box of width 1 on an axis.
            int[][] boxes = {{20, 15, 60, 45}, {31, 22, 37, 29}, {50, 10, 51, 40}};
            for (int[] b : boxes) {
                float[] got = pool(new RegionWarp(size, 0), image, h, w, new float[] {b[0], b[1], b[2], b[3]});
                double[] expected = resampleBox(image, h, w, b[0], b[1], b[2], b[3], size);
                assertArrayEquals(expected, toDouble(got), 1e-4, "W = " + size + ", box " + java.util.Arrays.toString(b));
            }
        }
    }

    @Test
    void contextDilatesTheBoxAroundItsCentre() {
        // W = 20, p = 4: dilation 20/12 = 5/3. Box x 30..60, y 30..54: centre (45, 42), half sizes
        // 15 and 12 → 25 and 20: the window is x 20..70, y 22..62, 2.5 and 2 image pixels per
        // output pixel.
        RegionWarp warp = new RegionWarp(20, 4);
        float[] box = {30, 30, 60, 54};
        assertArrayEquals(new float[] {20, 22, 70, 62}, warp.contextWindows(box));
        int h = 100, w = 100;
        float[] out = pool(warp, gradientImage(h, w), h, w, box);
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 20; j++) {
                // Output pixel (i, j) has its centre at continuous (20 + 2.5(j + 0.5), 22 + 2(i + 0.5));
                // channels 0 and 1 hold the pixel index, which is that position minus 0.5.
                assertEquals(20 + 2.5 * (j + 0.5) - 0.5, out[i * 20 + j], 1e-4, "x at " + i + "," + j);
                assertEquals(22 + 2.0 * (i + 0.5) - 0.5, out[400 + i * 20 + j], 1e-4, "y at " + i + "," + j);
            }
        }
        // The box's own corners land p pixels inside the warped square: x 30 → (30 − 20)/2.5 = 4,
        // x 60 → 16 = W − p; y 30 → (30 − 22)/2 = 4, y 54 → 16.
        assertEquals(4.0, (box[0] - 20) / 2.5, 0);
        assertEquals(16.0, (box[2] - 20) / 2.5, 0);
        assertEquals(4.0, (box[1] - 22) / 2.0, 0);
        assertEquals(16.0, (box[3] - 22) / 2.0, 0);
        // The paper's figures: a 195-pixel box gets 16 pixels of context at 227, i.e. the window is 227 wide.
        assertArrayEquals(new float[] {-16, -16, 211, 211}, new RegionWarp().contextWindows(new float[] {0, 0, 195, 195}));
    }

    @Test
    void windowPastTheImageIsPaddedWithZeros() {
        // Constant channels 1, 2, 3 on a 40×40 image; W = 20, p = 4. Box 0..20: centre 10, half
        // 10·5/3 = 16.67 → window −7..27 (34 pixels, 20/34 output pixels each); 7 pixels outside
        // → round(4.12) = 4 padding pixels, then round(27·20/34) = 16 content pixels.
        int h = 40, w = 40;
        float[] image = new float[3 * h * w];
        for (int c = 0; c < 3; c++) java.util.Arrays.fill(image, c * h * w, (c + 1) * h * w, c + 1);
        RegionWarp warp = new RegionWarp(20, 4);
        float[] topLeft = pool(warp, image, h, w, new float[] {0, 0, 20, 20});
        float[] bottomRight = pool(warp, image, h, w, new float[] {20, 20, 40, 40});
        assertArrayEquals(new float[] {-7, -7, 27, 27}, warp.contextWindows(new float[] {0, 0, 20, 20}));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 20; i++) {
                for (int j = 0; j < 20; j++) {
                    float inside = c + 1;
                    // Window 13..47 for the bottom-right box: 16 content pixels, then 4 of padding.
                    assertEquals(i < 4 || j < 4 ? 0 : inside, topLeft[(c * 20 + i) * 20 + j], 0, "top-left " + i + "," + j);
                    assertEquals(i >= 16 || j >= 16 ? 0 : inside, bottomRight[(c * 20 + i) * 20 + j], 0, "bottom-right " + i + "," + j);
                }
            }
        }
        // A box wholly outside the image warps to zeros.
        float[] outside = pool(warp, image, h, w, new float[] {100, 100, 120, 130});
        assertArrayEquals(new float[3 * 400], outside);
    }

    @Test
    void warpIsAnisotropic() {
        // A 10 wide, 40 high box at W = 20, p = 0: half an image pixel per output column, two per
        // output row. Where no clamping applies, the output is the position on each axis alone.
        int h = 60, w = 60;
        RegionWarp warp = new RegionWarp(20, 0);
        float[] out = pool(warp, gradientImage(h, w), h, w, new float[] {25, 10, 35, 50});
        for (int i = 0; i < 20; i++) {
            for (int j = 1; j < 19; j++) {
                assertEquals(25 + 0.5 * (j + 0.5) - 0.5, out[i * 20 + j], 1e-5, "x at " + i + "," + j);
                assertEquals(10 + 2.0 * (i + 0.5) - 0.5, out[400 + i * 20 + j], 1e-5, "y at " + i + "," + j);
            }
            // Column 0's sample, at −0.25, clamps to the box's first pixel, column 19's, at 9.25, to its last.
            assertEquals(25, out[i * 20], 1e-6);
            assertEquals(34, out[i * 20 + 19], 1e-6);
        }
    }

    @Test
    void noRegionsGiveAnEmptyBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.zeros(new Shape(2, 3, 8, 8));
            NDArray out = new RegionWarp(64, 8).pool(List.of(batch), 1, new float[0]);
            assertEquals(new Shape(0, 3, 64, 64), out.getShape());
            assertSame(manager, out.getManager());
        }
    }

    @Test
    void regionsOfOneCallEqualEachWarpedAlone() {
        // Random boxes, some past the borders, from the second image of a batch.
        int h = 50, w = 70;
        SplittableRandom random = new SplittableRandom(7);
        float[] batch = new float[2 * 3 * h * w];
        for (int i = 0; i < batch.length; i++) batch[i] = (float) random.nextDouble(-2, 2);
        float[] rois = PoolerTestSupport.randomRois(random, 40, w, h);
        RegionWarp warp = new RegionWarp(24, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.create(batch, new Shape(2, 3, h, w));
            float[] all = warp.pool(List.of(images), 1, rois).toFloatArray();
            float[] second = java.util.Arrays.copyOfRange(batch, 3 * h * w, batch.length);
            int cell = 3 * 24 * 24;
            for (int r = 0; r < 40; r++) {
                float[] one = warp.warp(second, 3, h, w, java.util.Arrays.copyOfRange(rois, 4 * r, 4 * r + 4));
                assertArrayEquals(one, java.util.Arrays.copyOfRange(all, r * cell, (r + 1) * cell), "region " + r);
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RegionWarp(32, 16));
        assertThrows(IllegalArgumentException.class, () -> new RegionWarp(0, 0));
        RegionWarp warp = new RegionWarp(8, 1);
        assertThrows(IllegalArgumentException.class, () -> warp.contextWindows(new float[] {0, 0, Float.NaN, 1}));
        assertThrows(IllegalArgumentException.class, () -> warp.warp(new float[12], 3, 2, 2, new float[3]));
        assertEquals(2, RegionWarp.roundHalfAway(1.5));
        assertEquals(-3, RegionWarp.roundHalfAway(-2.5));
    }
}
