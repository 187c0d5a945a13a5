package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.asFloats;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.forward;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.gradient;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.ramp4x4;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomRois;
import static org.rcnn4j.modeling.poolers.PoolerTestSupport.randomValues;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RoIAlign against hand-computed cases, a sample-by-sample reference loop and finite differences. */
class RoIAlignTest {

    private static final DataType F32 = DataType.FLOAT32;

    // The map is v(y, x) = 1 + 4y + x: bilinear interpolation of it is exact, v(y, x) itself.

    @Test
    void oneSampleOnACellCentre() {
        // Not aligned: start 0, size 2, one sample at 0 + 0.5·2 = 1 -> v(1, 1) = 6.
        assertArrayEquals(new double[] {6},
                forward(new RoIAlign(1, 1, 1, false), ramp4x4(), 1, 4, 4, F32, new float[] {0, 0, 2, 2}, 1f));
        // Aligned: start -0.5, so the sample is at 0.5 -> v(0.5, 0.5) = (1 + 2 + 5 + 6) / 4 = 3.5.
        assertArrayEquals(new double[] {3.5},
                forward(new RoIAlign(1, 1, 1, true), ramp4x4(), 1, 4, 4, F32, new float[] {0, 0, 2, 2}, 1f));
    }

    @Test
    void twoByTwoBinsAverageTheirSamples() {
        // Bins of 2 cells, 2 samples per axis: 0.5, 1.5 | 2.5, 3.5; 3.5 is past the last cell and
        // clamps to 3, so the axis means are 1 and 2.75: 1 + 4·{1, 2.75} + {1, 2.75}.
        double[] out = forward(new RoIAlign(2, 2, 2, false), ramp4x4(), 1, 4, 4, F32,
                new float[] {0, 0, 4, 4}, 1f);
        assertArrayEquals(new double[] {6, 7.75, 13, 14.75}, out, 1e-6);
    }

    @Test
    void roiPartlyOutsideTheMap() {
        // Samples per axis at -3 (outside [-1, 4]: dropped) and -1 (inside, clamps to 0): only
        // the sample at (-1, -1) counts, reading v(0, 0) = 1, averaged over 4 samples.
        RoIAlign align = new RoIAlign(1, 1, 2, false);
        float[] roi = {-4, -4, 0, 0};
        assertArrayEquals(new double[] {0.25}, forward(align, ramp4x4(), 1, 4, 4, F32, roi, 1f), 1e-7);
        double[] grad = gradient(align, ramp4x4(), 1, 4, 4, F32, roi, 1f, new double[] {2});
        double[] expected = new double[16];
        expected[0] = 0.5;
        assertArrayEquals(expected, grad, 1e-7);
    }

    @Test
    void degenerateRois() {
        // Not aligned, zero size -> 1 cell: one sample at 2.5 -> v(2.5, 2.5) = 13.5.
        assertArrayEquals(new double[] {13.5},
                forward(new RoIAlign(1, 1, 0, false), ramp4x4(), 1, 4, 4, F32, new float[] {2, 2, 2, 2}, 1f));
        // Aligned and inverted with adaptive sampling: ceil(-2) samples -> none -> 0.
        assertArrayEquals(new double[] {0, 0, 0, 0},
                forward(new RoIAlign(2, 2, 0, true), ramp4x4(), 1, 4, 4, F32, new float[] {3, 3, 1, 1}, 1f));
    }

    @Test
    void matchesReferenceLoopOnRandomMaps() {
        SplittableRandom random = new SplittableRandom(5);
        int[][] shapes = {{3, 5, 7, 4}, {8, 13, 9, 16}, {4, 38, 50, 16}, {2, 20, 12, 4}};
        int[][] grids = {{7, 7}, {2, 3}, {7, 7}, {1, 1}};
        int[] roiCounts = {10, 64, 64, 33};
        int[] ratios = {0, 2, 0, 3};
        for (int s = 0; s < shapes.length; s++) {
            int c = shapes[s][0], h = shapes[s][1], w = shapes[s][2], stride = shapes[s][3];
            double[] map = asFloats(randomValues(random, c * h * w));
            float[] rois = randomRois(random, roiCounts[s], w * stride, h * stride);
            for (boolean aligned : new boolean[] {true, false}) {
                RoIAlign align = new RoIAlign(grids[s][0], grids[s][1], ratios[s], aligned);
                double[] expected = RoIPoolingReference.roiAlign(map, c, h, w, rois, 1f / stride,
                        grids[s][0], grids[s][1], ratios[s], aligned);
                double[] actual = forward(align, map, c, h, w, F32, rois, 1f / stride);
                assertArrayEquals(expected, actual, 2e-5, "shape " + s + " aligned " + aligned);
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(9);
        int c = 2, h = 7, w = 6, stride = 4;
        double[] map = randomValues(random, c * h * w);
        float[] rois = {1, 2, 17, 22, -5, 3, 9, 30, 6, 6, 7.5f, 7, 0, 0, 24, 28};
        double[] upstream = randomValues(random, 4 * c * 9);
        for (boolean aligned : new boolean[] {true, false}) {
            RoIAlign align = new RoIAlign(3, 3, 0, aligned);
            double[] grad = PoolerTestSupport.assertGradientMatchesFiniteDifferences(
                    align, map, c, h, w, rois, 0.25f, upstream, 1e-6, 1e-7);
            assertTrue(java.util.Arrays.stream(grad).filter(g -> g != 0).count() > map.length / 4);
        }
    }

    @Test
    void noRoisGivesAnEmptyBatchAndAZeroGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.randomUniform(0, 1, new Shape(1, 3, 4, 5));
            features.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = new RoIAlign().pool(manager, features, new float[0], 0.25f);
                assertEquals(new Shape(0, 3, 7, 7), out.getShape());
                collector.backward(out.sum());
            }
            assertArrayEquals(new float[60], features.getGradient().toFloatArray());
        }
    }

    @Test
    void everythingItMakesBelongsToTheCallersManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = manager.randomUniform(0, 1, new Shape(3, 16, 16));
            try (NDManager perIteration = manager.newSubManager()) {
                new RoIAlign().pool(perIteration, features, new float[] {0, 0, 8, 8, 0, 0, 60, 60, 4, 4, 30, 20}, 0.25f);
            }
            // Closing the caller's manager frees the result and what its backward would read:
            // only the features remain.
            assertEquals(1, ((BaseNDManager) manager).getManagedArrays().size());
        }
    }

    @Test
    void entryCountsRoundUpToFewBuckets() {
        int[] expected = {1, 1, 2, 3, 4, 6, 6, 8, 8, 12, 12, 12, 12, 16};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], RoIAlign.roundUp(k), "k = " + k);
        }
        assertEquals(48, RoIAlign.roundUp(33));
    }

    /** Inference sums in Java; training gathers natively for autograd. Both give the same values. */
    @Test
    void inferencePathMatchesTheDifferentiablePath() {
        PoolerTestSupport.assertInferenceMatchesDifferentiable(new RoIAlign(7, 7, 0, true), 13);
    }

    @Test
    void gradientFlowsThroughAnIntermediateMap() {
        PoolerTestSupport.assertGradientReachesParametersThroughAnIntermediateMap(new RoIAlign(7, 7, 0, true));
    }
}
