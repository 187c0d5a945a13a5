package org.rcnn4j.modeling.poolers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;

/** Runs a pooler on plain arrays and reads back outputs and gradients. */
final class PoolerTestSupport {

    private PoolerTestSupport() {
    }

    /** A {@code (1, C, H, W)} map of the given values in the given type. */
    static NDArray map(NDManager manager, double[] values, int c, int h, int w, DataType type) {
        return manager.create(values, new Shape(1, c, h, w)).toType(type, false);
    }

    /** The pooled output as doubles. */
    static double[] forward(RoIPooler pooler, double[] values, int c, int h, int w, DataType type,
            float[] rois, float scale) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray out = pooler.pool(manager, map(manager, values, c, h, w, type), rois, scale);
            return out.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /**
     * The pooled output of a float32 map that requires a gradient, i.e. through the native,
     * differentiable path; {@link #forward} on the same map takes the Java inference path.
     */
    static double[] forwardDifferentiable(RoIPooler pooler, double[] values, int c, int h, int w, float[] rois, float scale) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = map(manager, values, c, h, w, DataType.FLOAT32);
            features.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = pooler.pool(manager, features, rois, scale);
                return out.toType(DataType.FLOAT64, false).toDoubleArray();
            }
        }
    }

    /**
     * The gradient reaches parameters through an intermediate map: in training the pooled map is a
     * layer's output, not a leaf array, and the pooler must stay on the differentiable path for it.
     */
    static void assertGradientReachesParametersThroughAnIntermediateMap(RoIPooler pooler) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(2f);
            weight.setRequiresGradient(true);
            NDArray input = map(manager, asFloats(randomValues(new SplittableRandom(3), 4 * 9 * 9)), 4, 9, 9, DataType.FLOAT32);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray features = input.mul(weight);
                NDArray out = pooler.pool(manager, features, new float[] {0, 0, 60, 60, 10, 20, 100, 90}, 0.125f);
                collector.backward(out.sum());
            }
            float g = weight.getGradient().getFloat();
            // d(sum of pooled values)/d(weight) is the sum of the pooled input values: far from 0.
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(g) > 1e-3, "gradient " + g);
        }
    }

    /**
     * Checks that the inference path (Java) and the differentiable path (native gather) of
     * {@code pooler} agree on random float32 maps and RoIs.
     */
    static void assertInferenceMatchesDifferentiable(RoIPooler pooler, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int c = 16, h = 19, w = 23, stride = 16;
        double[] map = asFloats(randomValues(random, c * h * w));
        float[] rois = randomRois(random, 50, w * stride, h * stride);
        double[] java = forward(pooler, map, c, h, w, DataType.FLOAT32, rois, 1f / stride);
        double[] nativePath = forwardDifferentiable(pooler, map, c, h, w, rois, 1f / stride);
        org.junit.jupiter.api.Assertions.assertArrayEquals(nativePath, java, 1e-5);
    }

    /** The autograd gradient of {@code sum(upstream · pool(map))} with respect to the map. */
    static double[] gradient(RoIPooler pooler, double[] values, int c, int h, int w, DataType type,
            float[] rois, float scale, double[] upstream) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray features = map(manager, values, c, h, w, type);
            features.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = pooler.pool(manager, features, rois, scale);
                churnNativeMemory(manager);
                NDArray weights = manager.create(upstream, out.getShape()).toType(type, false);
                collector.backward(out.mul(weights).sum());
            }
            return features.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    /**
     * Checks the autograd gradient of {@code sum(upstream · pool(map))} against central finite
     * differences of step {@code eps}, element by element, on a float64 map, and returns it.
     */
    static double[] assertGradientMatchesFiniteDifferences(RoIPooler pooler, double[] map, int c, int h, int w,
            float[] rois, float scale, double[] upstream, double eps, double tolerance) {
        double[] grad = gradient(pooler, map, c, h, w, DataType.FLOAT64, rois, scale, upstream);
        for (int i = 0; i < map.length; i++) {
            double[] plus = map.clone();
            double[] minus = map.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (dot(upstream, forward(pooler, plus, c, h, w, DataType.FLOAT64, rois, scale))
                    - dot(upstream, forward(pooler, minus, c, h, w, DataType.FLOAT64, rois, scale))) / (2 * eps);
            org.junit.jupiter.api.Assertions.assertEquals(numeric, grad[i], tolerance, "element " + i);
        }
        return grad;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Allocates and frees arrays of garbage, and runs the GC, between a forward pass and its
     * backward: if a pooler freed an array its backward still reads (a gather index), the backward
     * then reads garbage and the gradient checks fail instead of passing by luck.
     */
    static void churnNativeMemory(NDManager manager) {
        for (int i = 0; i < 50; i++) {
            try (NDManager tmp = manager.newSubManager()) {
                long[] junk = new long[1 << (8 + i % 10)];
                java.util.Arrays.fill(junk, Long.MIN_VALUE / 3 + i);
                tmp.create(junk);
            }
            System.gc();
        }
    }

    /** Seeded random values in [-1, 1). */
    static double[] randomValues(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(-1, 1);
        }
        return v;
    }

    /** Values rounded to float32, so that float and double maps hold the same numbers. */
    static double[] asFloats(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /**
     * R random RoIs for an image of {@code imageW × imageH} pixels: most inside, some reaching past
     * the borders, some tiny or inverted (degenerate).
     */
    static float[] randomRois(SplittableRandom random, int r, float imageW, float imageH) {
        float[] rois = new float[4 * r];
        for (int i = 0; i < r; i++) {
            float x1 = (float) random.nextDouble(-0.2, 1.0) * imageW;
            float y1 = (float) random.nextDouble(-0.2, 1.0) * imageH;
            float bw = (float) random.nextDouble(-0.05, 0.9) * imageW;
            float bh = (float) random.nextDouble(-0.05, 0.9) * imageH;
            rois[4 * i] = x1;
            rois[4 * i + 1] = y1;
            rois[4 * i + 2] = x1 + bw;
            rois[4 * i + 3] = y1 + bh;
        }
        return rois;
    }

    /** {@code v(y, x) = 1 + 4y + x} on a 1×1×4×4 map: 1..16 row by row. */
    static double[] ramp4x4() {
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) {
            v[i] = 1 + i;
        }
        return v;
    }
}
