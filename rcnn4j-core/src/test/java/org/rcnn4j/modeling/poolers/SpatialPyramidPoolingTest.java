package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.asFloats;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.forward;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.ramp4x4;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomRois;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomValues;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Spatial pyramid pooling against hand-computed cells and bins, the paper's 1-based rule, and its backward. */
class SpatialPyramidPoolingTest {

    private static final DataType F32 = DataType.FLOAT32;

    private static int[] cells(float lo, float hi, float scale, int length) {
        int[] out = new int[2];
        SpatialPyramidPooling.windowCells(lo, hi, scale, length, out);
        return out;
    }

    @Test
    void windowsMapOntoCellsByAppendixA() {
        float s = 1f / 16;
        // 1-based pixels 1..160: left floor(1/16) + 1 = 1, right ceil(160/16) - 1 = 9 -> 0-based 0..8.
        assertArrayEquals(new int[] {0, 8}, cells(0, 160, s, 20));
        // Pixels 21..100: left floor(21/16) + 1 = 2, right ceil(100/16) - 1 = 6 -> 1..5.
        assertArrayEquals(new int[] {1, 5}, cells(20, 100, s, 20));
        // A window inside one cell's span: pixels 41..50 -> 3..3 (1-based) -> cell 2.
        assertArrayEquals(new int[] {2, 2}, cells(40, 50, s, 20));
        // Smaller than the rule allows (left 3 after right 2, 1-based): the midpoint, floor(2.5) = 2 -> 1.
        assertArrayEquals(new int[] {1, 1}, cells(33, 40, s, 20));
        // At the map's edge (20 cells = 320 px): right 24 (0-based 23) clamps to the last cell.
        assertArrayEquals(new int[] {18, 19}, cells(300, 400, s, 20));
        // Wholly outside: both ends clamp to the last cell, so a window always has one cell.
        assertArrayEquals(new int[] {19, 19}, cells(400, 500, s, 20));
        assertArrayEquals(new int[] {0, 0}, cells(-90, -50, s, 20));
    }

    @Test
    void binsOfAFiveCellWindowInThreeOverlapByACell() {
        // One row of 5 cells, values 1..5 (and a 1x5 map): level 3's bins span floor((i-1)5/3) to
        // ceil(i 5/3), i.e. cells [0, 2), [1, 4), [3, 5): maxima 2, 4, 5.
        double[] row = {1, 2, 3, 4, 5};
        SpatialPyramidPooling spp = new SpatialPyramidPooling(List.of(3));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray map = manager.create(row, new Shape(1, 1, 1, 5)).toType(F32, false);
            // 3x3 bins over one row: every row bin is row 0, so each column triple repeats.
            assertArrayEquals(new float[] {2, 4, 5, 2, 4, 5, 2, 4, 5}, spp.poolImages(manager, map).toFloatArray());
        }
    }

    @Test
    void wholeMapPyramidOnKnownValues() {
        // Map 1..16 row by row: the 2x2 level's quadrants have maxima 6, 8, 14, 16; the 1x1 level 16.
        SpatialPyramidPooling spp = new SpatialPyramidPooling(List.of(2, 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray map = manager.create(ramp4x4(), new Shape(1, 1, 4, 4)).toType(F32, false);
            assertArrayEquals(new float[] {6, 8, 14, 16, 16}, spp.poolImages(manager, map).toFloatArray());
        }
        // As a window pooler at stride 1: pixels 0..5 map to cells floor(1/1)=1 .. ceil(5)-2=3.
        double[] out = forward(spp, ramp4x4(), 1, 4, 4, F32, new float[] {0, 0, 5, 5}, 1f);
        // Cells 1..3 per axis, w = 3: level-2 bins [1, 3) and [2, 4): maxima v(2,2)=11, v(2,3)=12, v(3,2)=15, 16.
        assertArrayEquals(new double[] {11, 12, 15, 16, 16}, out);
    }

    @Test
    void outputLengthDoesNotDependOnTheInputSize() {
        SpatialPyramidPooling spp = new SpatialPyramidPooling();
        assertEquals(50, spp.bins());
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] hw : new int[][] {{1, 1}, {7, 9}, {13, 5}, {40, 61}}) {
                NDArray maps = manager.randomUniform(0, 1, new Shape(2, 3, hw[0], hw[1]));
                assertEquals(new Shape(2, 150), spp.poolImages(manager, maps).getShape(), hw[0] + "x" + hw[1]);
            }
            NDArray map = manager.randomUniform(0, 1, new Shape(1, 3, 10, 12));
            assertEquals(new Shape(2, 3, 50, 1),
                    spp.pool(manager, map, new float[] {0, 0, 30, 20, 10, 10, 150, 140}, 1f / 16).getShape());
            assertEquals(new Shape(0, 3, 50, 1), spp.pool(manager, map, new float[0], 1f / 16).getShape());
        }
    }

    @Test
    void matchesThePapersOneBasedRuleOnRandomMaps() {
        SplittableRandom random = new SplittableRandom(5);
        int[][] shapes = {{3, 11, 14, 16}, {5, 20, 17, 8}, {2, 6, 4, 32}};
        for (int[] s : shapes) {
            int c = s[0], h = s[1], w = s[2], stride = s[3];
            double[] map = asFloats(randomValues(random, c * h * w));
            float[] rois = integerRois(random, 40, w * stride, h * stride);
            double[] expected = paperReference(map, c, h, w, rois, stride, new int[] {6, 3, 2, 1});
            double[] actual = forward(new SpatialPyramidPooling(), map, c, h, w, F32, rois, 1f / stride);
            assertArrayEquals(expected, actual, "map " + c + "x" + h + "x" + w + " stride " + stride);
        }
    }

    @Test
    void inferenceMatchesTheDifferentiablePath() {
        PoolerTestSupport.assertInferenceMatchesDifferentiable(new SpatialPyramidPooling(), 13);
        PoolerTestSupport.assertGradientReachesParametersThroughAnIntermediateMap(new SpatialPyramidPooling());
    }

    @Test
    void wholeMapPoolingIsTheSameRecordingOrNot() {
        SpatialPyramidPooling spp = new SpatialPyramidPooling();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray maps = manager.create(asFloats(randomValues(new SplittableRandom(4), 3 * 5 * 7 * 9)), new Shape(3, 5, 7, 9))
                    .toType(F32, false);
            float[] inference = spp.poolImages(manager, maps).toFloatArray();
            maps.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                assertArrayEquals(inference, spp.poolImages(manager, maps).toFloatArray());
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(17);
        int c = 2, h = 7, w = 6, stride = 4;
        double[] map = randomValues(random, c * h * w);
        float[] rois = {1, 2, 17, 22, -3, 5, 9, 30, 6, 6, 7, 7};
        SpatialPyramidPooling spp = new SpatialPyramidPooling(List.of(3, 2, 1));
        double[] upstream = randomValues(random, 3 * c * spp.bins());
        double[] grad = PoolerTestSupport.assertGradientMatchesFiniteDifferences(
                spp, map, c, h, w, rois, 1f / stride, upstream, 1e-7, 1e-6);
        assertTrue(java.util.Arrays.stream(grad).filter(g -> g != 0).count() >= 5, "some gradient flows");
    }

    @Test
    void wholeMapGradientLandsOnEachBinsMaximum() {
        SpatialPyramidPooling spp = new SpatialPyramidPooling(List.of(2, 1));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray map = manager.create(ramp4x4(), new Shape(1, 1, 4, 4)).toType(F32, false);
            map.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = spp.poolImages(manager, map);
                PoolerTestSupport.churnNativeMemory(manager);
                collector.backward(out.mul(manager.create(new float[] {1, 2, 3, 4, 5}).reshape(1, 5)).sum());
            }
            float[] grad = map.getGradient().toFloatArray();
            float[] expected = new float[16];
            expected[5] = 1;   // v = 6
            expected[7] = 2;   // v = 8
            expected[13] = 3;  // v = 14
            expected[15] = 4 + 5;  // v = 16 wins its quadrant and the whole map
            assertArrayEquals(expected, grad);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new SpatialPyramidPooling(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SpatialPyramidPooling(List.of(2, 0)));
        try (NDManager manager = NDManager.newBaseManager()) {
            SpatialPyramidPooling spp = new SpatialPyramidPooling();
            assertThrows(IllegalArgumentException.class, () -> spp.poolImages(manager, manager.zeros(new Shape(3, 4, 5))));
            assertThrows(IllegalArgumentException.class,
                    () -> spp.pool(manager, manager.zeros(new Shape(3, 4, 5)), new float[] {0, 0, Float.NaN, 1}, 1f));
        }
    }

    /** Integer-cornered windows, so that the paper's pixel arithmetic applies without rounding. */
    private static float[] integerRois(SplittableRandom random, int r, int imageW, int imageH) {
        float[] rois = randomRois(random, r, imageW, imageH);
        for (int i = 0; i < rois.length; i++) {
            rois[i] = Math.round(rois[i]);
        }
        return rois;
    }

    /**
     * SPP-net as the paper writes it, in 1-based pixels and cells: a window's first pixel x1 + 1 and
     * last pixel x2 map to cells ⌊x/S⌋ + 1 and ⌈x/S⌉ − 1; left after right takes their midpoint;
     * clamped to 1..length; bin i of n spans cells ⌊(i−1)w/n⌋ + 1 .. ⌈iw/n⌉ of the window, inclusive.
     */
    private static double[] paperReference(double[] map, int c, int h, int w, float[] rois, int stride, int[] levels) {
        int bins = 0;
        for (int n : levels) {
            bins += n * n;
        }
        double[] out = new double[rois.length / 4 * c * bins];
        int o = 0;
        for (int r = 0; r < rois.length / 4; r++) {
            int[] ys = paperCells(rois[4 * r + 1] + 1, rois[4 * r + 3], stride, h);
            int[] xs = paperCells(rois[4 * r] + 1, rois[4 * r + 2], stride, w);
            int bh = ys[1] - ys[0] + 1;
            int bw = xs[1] - xs[0] + 1;
            for (int ch = 0; ch < c; ch++) {
                for (int n : levels) {
                    for (int i = 1; i <= n; i++) {
                        for (int j = 1; j <= n; j++) {
                            int y0 = ys[0] + (int) Math.floor((i - 1) * (double) bh / n);
                            int y1 = ys[0] - 1 + (int) Math.ceil(i * (double) bh / n);
                            int x0 = xs[0] + (int) Math.floor((j - 1) * (double) bw / n);
                            int x1 = xs[0] - 1 + (int) Math.ceil(j * (double) bw / n);
                            double max = Double.NEGATIVE_INFINITY;
                            for (int y = y0; y <= y1; y++) {
                                for (int x = x0; x <= x1; x++) {
                                    max = Math.max(max, map[(ch * h + y - 1) * w + x - 1]);
                                }
                            }
                            out[o++] = max;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int[] paperCells(double firstPixel, double lastPixel, int stride, int length) {
        int left = (int) Math.floor(firstPixel / stride) + 1;
        int right = (int) Math.ceil(lastPixel / stride) - 1;
        if (left > right) {
            left = Math.floorDiv(left + right, 2);
            right = left;
        }
        return new int[] {Math.min(Math.max(left, 1), length), Math.min(Math.max(right, 1), length)};
    }
}
