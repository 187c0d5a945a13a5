package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.asFloats;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.forward;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.gradient;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.ramp4x4;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomRois;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomValues;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RoI max pooling against hand-computed cases, a reference loop and the argmax-switch backward. */
class RoIPoolTest {

    private static final DataType F32 = DataType.FLOAT32;

    @Test
    void wholeMapIntoFourQuadrants() {
        // Map 1..16 row by row; RoI cells 0..3 (round(0)=0, round(3)=3, inclusive) -> size 4,
        // 2x2 bins of 2x2 cells; each quadrant's max is its bottom-right value.
        double[] out = forward(new RoIPool(2, 2), ramp4x4(), 1, 4, 4, F32, new float[] {0, 0, 3, 3}, 1f);
        assertArrayEquals(new double[] {6, 8, 14, 16}, out);
    }

    @Test
    void roiCoveringExactlyOneBin() {
        // Cells (1..2, 1..2): values 6, 7, 10, 11.
        double[] out = forward(new RoIPool(1, 1), ramp4x4(), 1, 4, 4, F32, new float[] {1, 1, 2, 2}, 1f);
        assertArrayEquals(new double[] {11}, out);
    }

    @Test
    void roiPartlyOutsideTheMap() {
        // Cells -8..1 per axis: size 10, bins of 5. Bin 0 = [-8, -3) is empty (0, no gradient);
        // bin 1 = [-3, 2) clamps to [0, 2), whose max is v(1, 1) = 6.
        RoIPool pool = new RoIPool(2, 2);
        float[] roi = {-8, -8, 1, 1};
        assertArrayEquals(new double[] {0, 0, 0, 6}, forward(pool, ramp4x4(), 1, 4, 4, F32, roi, 1f));
        double[] grad = gradient(pool, ramp4x4(), 1, 4, 4, F32, roi, 1f, new double[] {3, 4, 5, 2});
        double[] expected = new double[16];
        expected[5] = 2;
        assertArrayEquals(expected, grad, 1e-6);
    }

    @Test
    void degenerateRoiBecomesOneCell() {
        // x2 < x1: size max(1 - 2 + 1, 1) = 1 cell; bins of 0.5 all cover cell 2 -> v(2, 2) = 11,
        // and all four gradients land on that one element.
        RoIPool pool = new RoIPool(2, 2);
        float[] roi = {2, 2, 1, 1};
        assertArrayEquals(new double[] {11, 11, 11, 11}, forward(pool, ramp4x4(), 1, 4, 4, F32, roi, 1f));
        double[] grad = gradient(pool, ramp4x4(), 1, 4, 4, F32, roi, 1f, new double[] {1, 2, 3, 4});
        assertEquals(10, grad[10], 1e-6);
    }

    @Test
    void cornersRoundHalfAwayFromZero() {
        // x1 = -24 px at stride 16 is -1.5 cells -> -2 (Java's Math.round would give -1); x2 = 1.
        // Width 4 cells in 2 bins: [-2, 0) is empty -> 0; [0, 2) over rows 0..3 -> v(3, 1) = 14.
        double[] out = forward(new RoIPool(1, 2), ramp4x4(), 1, 4, 4, F32,
                new float[] {-24, 0, 16, 48}, 1f / 16);
        assertArrayEquals(new double[] {0, 14}, out);
        assertEquals(-2, RoIPool.roundHalfAway(-1.5f));
        assertEquals(2, RoIPool.roundHalfAway(1.5f));
        assertEquals(0, RoIPool.roundHalfAway(-0.49999997f));
    }

    @Test
    void tiesGoToTheFirstElementAndNaNIsNeverTheMax() {
        double[] flat = new double[16];
        flat[0] = Double.NaN;
        double[] grad = gradient(new RoIPool(1, 1), flat, 1, 4, 4, F32, new float[] {0, 0, 3, 3}, 1f,
                new double[] {1});
        double[] expected = new double[16];
        expected[1] = 1;
        assertArrayEquals(expected, grad);
        double[] lows = new double[16];
        java.util.Arrays.fill(lows, Double.NEGATIVE_INFINITY);
        double[] out = forward(new RoIPool(1, 1), lows, 1, 4, 4, F32, new float[] {0, 0, 3, 3}, 1f);
        assertArrayEquals(new double[] {-Float.MAX_VALUE}, out);
    }

    @Test
    void matchesReferenceLoopOnRandomMaps() {
        SplittableRandom random = new SplittableRandom(7);
        int[][] shapes = {{3, 5, 7, 4}, {8, 13, 9, 16}, {4, 38, 50, 16}, {2, 20, 12, 4}};
        int[][] grids = {{7, 7}, {2, 3}, {7, 7}, {1, 1}};
        int[] roiCounts = {10, 64, 64, 33};
        for (int s = 0; s < shapes.length; s++) {
            int c = shapes[s][0], h = shapes[s][1], w = shapes[s][2], stride = shapes[s][3];
            double[] map = asFloats(randomValues(random, c * h * w));
            float[] rois = randomRois(random, roiCounts[s], w * stride, h * stride);
            RoIPool pool = new RoIPool(grids[s][0], grids[s][1]);
            int[] argmax = new int[roiCounts[s] * c * grids[s][0] * grids[s][1]];
            double[] expected = RoIPoolingReference.roiPool(
                    map, c, h, w, rois, 1f / stride, grids[s][0], grids[s][1], argmax);
            double[] actual = forward(pool, map, c, h, w, F32, rois, 1f / stride);
            assertArrayEquals(expected, actual, "shape " + s);
        }
    }

    @Test
    void gradientFollowsTheArgmaxSwitches() {
        SplittableRandom random = new SplittableRandom(11);
        int c = 6, h = 19, w = 25, stride = 16, r = 48;
        // Few distinct values, so that ties and elements winning several bins are common.
        double[] map = new double[c * h * w];
        for (int i = 0; i < map.length; i++) {
            map[i] = random.nextInt(5);
        }
        float[] rois = randomRois(random, r, w * stride, h * stride);
        double[] upstream = randomValues(random, r * c * 49);
        int[] argmax = new int[upstream.length];
        RoIPoolingReference.roiPool(map, c, h, w, rois, 1f / stride, 7, 7, argmax);
        double[] expected = new double[map.length];
        for (int o = 0; o < upstream.length; o++) {
            if (argmax[o] >= 0) {
                expected[argmax[o]] += (float) upstream[o];
            }
        }
        double[] grad = gradient(new RoIPool(), map, c, h, w, F32, rois, 1f / stride, upstream);
        assertArrayEquals(expected, grad, 1e-4);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithoutTies() {
        SplittableRandom random = new SplittableRandom(3);
        int c = 2, h = 6, w = 5, stride = 4;
        double[] map = randomValues(random, c * h * w);
        float[] rois = {1, 2, 17, 22, -3, 5, 9, 30, 6, 6, 7, 7};
        double[] upstream = randomValues(random, 3 * c * 4);
        RoIPool pool = new RoIPool(2, 2);
        double[] grad = PoolerTestSupport.assertGradientMatchesFiniteDifferences(
                pool, map, c, h, w, rois, 1f / stride, upstream, 1e-7, 1e-6);
        assertTrue(java.util.Arrays.stream(grad).filter(g -> g != 0).count() >= 3, "some gradient flows");
    }

    @Test
    void noRoisGivesAnEmptyBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.randomUniform(0, 1, new Shape(3, 4, 5));
            NDArray out = new RoIPool().pool(manager, features, new float[0], 0.25f);
            assertEquals(new Shape(0, 3, 7, 7), out.getShape());
        }
    }

    @Test
    void everythingItMakesBelongsToTheCallersManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.randomUniform(0, 1, new Shape(1, 3, 8, 8));
            try (NDManager perIteration = manager.newSubManager()) {
                new RoIPool().pool(perIteration, features, new float[] {-40, 0, 8, 8, 0, 0, 30, 31}, 0.25f);
            }
            // Closing the caller's manager frees the result and what its backward would read:
            // only the features remain.
            assertEquals(1, ((BaseNDManager) manager).getManagedArrays().size());
        }
    }

    @Test
    void rejectsBadArguments() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.zeros(new Shape(2, 3, 4, 5));
            RoIPool pool = new RoIPool();
            assertThrows(IllegalArgumentException.class, () -> pool.pool(manager, features, new float[4], 1f));
            NDArray ok = manager.zeros(new Shape(3, 4, 5));
            assertThrows(IllegalArgumentException.class, () -> pool.pool(manager, ok, new float[3], 1f));
            assertThrows(IllegalArgumentException.class,
                    () -> pool.pool(manager, ok, new float[] {0, 0, Float.NaN, 1}, 1f));
            assertThrows(IllegalArgumentException.class, () -> pool.pool(manager, ok, new float[4], 0f));
            assertThrows(IllegalArgumentException.class, () -> new RoIPool(0, 7));
        }
    }

    /** Inference sums in Java; training gathers natively for autograd. Both give the same values. */
    @Test
    void inferencePathMatchesTheDifferentiablePath() {
        PoolerTestSupport.assertInferenceMatchesDifferentiable(new RoIPool(7, 7), 13);
    }

    @Test
    void gradientFlowsThroughAnIntermediateMap() {
        PoolerTestSupport.assertGradientReachesParametersThroughAnIntermediateMap(new RoIPool(7, 7));
    }
}
