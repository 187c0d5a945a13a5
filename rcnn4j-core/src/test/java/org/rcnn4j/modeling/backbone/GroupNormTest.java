package org.rcnn4j.modeling.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GroupNorm against a slow loop over (image, group), values and gradients. */
class GroupNormTest {
    private static final int N = 2, C = 6, G = 3, H = 4, W = 5;

    /** The definition, in double: per (n, g) mean and biased variance over C/G x H x W values. */
    static double[] reference(float[] x, float[] gamma, float[] beta, int n, int c, int g, int h, int w) {
        double[] y = new double[x.length];
        int per = c / g, plane = h * w;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < g; k++) {
                int start = (i * c + k * per) * plane, len = per * plane;
                double mean = 0, var = 0;
                for (int j = 0; j < len; j++) mean += x[start + j];
                mean /= len;
                for (int j = 0; j < len; j++) var += (x[start + j] - mean) * (x[start + j] - mean);
                var /= len;
                for (int j = 0; j < len; j++) {
                    int ch = k * per + j / plane;
                    y[start + j] = gamma[ch] * (x[start + j] - mean) / Math.sqrt(var + GroupNorm.EPSILON) + beta[ch];
                }
            }
        }
        return y;
    }

    static float[] random(SplittableRandom rng, int size, double scale, double offset) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) (offset + scale * (2 * rng.nextDouble() - 1));
        return v;
    }

    @Test
    void matchesLoopReference() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = random(rng, N * C * H * W, 3, 1.5);
        float[] gamma = random(rng, C, 1, 0.5);
        float[] beta = random(rng, C, 1, 0);
        double[] expected = reference(x, gamma, beta, N, C, G, H, W);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = GroupNorm.groupNorm(m.create(x, new Shape(N, C, H, W)), G, m.create(gamma), m.create(beta));
            assertEquals(new Shape(N, C, H, W), y.getShape());
            float[] got = y.toFloatArray();
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-4, "element " + i);
        }
    }

    @Test
    void blockLearnsPerChannelAffineAndStartsAsPlainNormalisation() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = random(rng, N * C * H * W, 2, -1);
        double[] expected = reference(x, new float[] {1, 1, 1, 1, 1, 1}, new float[C], N, C, G, H, W);
        try (NDManager m = NDManager.newBaseManager()) {
            GroupNorm block = new GroupNorm(G);
            block.initialize(m, DataType.FLOAT32, new Shape(N, C, H, W));
            assertEquals(new Shape(C), block.gamma().getArray().getShape());
            float[] got = block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(N, C, H, W))), false)
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-4);
        }
    }

    /** d(sum y·r)/dx by autograd against central differences of the double-precision reference. */
    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = random(rng, N * C * H * W, 1, 0);
        float[] gamma = random(rng, C, 1, 1);
        float[] beta = random(rng, C, 1, 0);
        float[] r = random(rng, x.length, 1, 0);
        float[] analytic, gammaGrad, betaGrad;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(x, new Shape(N, C, H, W));
            NDArray ga = m.create(gamma);
            NDArray ba = m.create(beta);
            xa.setRequiresGradient(true);
            ga.setRequiresGradient(true);
            ba.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = GroupNorm.groupNorm(xa, G, ga, ba);
                gc.backward(y.mul(m.create(r, new Shape(N, C, H, W))).sum());
            }
            analytic = xa.getGradient().toFloatArray();
            gammaGrad = ga.getGradient().toFloatArray();
            betaGrad = ba.getGradient().toFloatArray();
        }
        double step = 1e-3;
        for (int i = 0; i < x.length; i += 7) {
            float keep = x[i];
            x[i] = (float) (keep + step);
            double plus = dot(reference(x, gamma, beta, N, C, G, H, W), r);
            x[i] = (float) (keep - step);
            double minus = dot(reference(x, gamma, beta, N, C, G, H, W), r);
            x[i] = keep;
            assertEquals((plus - minus) / (2 * step), analytic[i], 2e-2, "d/dx[" + i + "]");
        }
        // dL/dβ_c = Σ r over channel c; dL/dγ_c = Σ r · normalised x over channel c.
        double[] normalised = reference(x, new float[] {1, 1, 1, 1, 1, 1}, new float[C], N, C, G, H, W);
        for (int c = 0; c < C; c++) {
            double sb = 0, sg = 0;
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < H * W; j++) {
                    int k = (i * C + c) * H * W + j;
                    sb += r[k];
                    sg += r[k] * normalised[k];
                }
            }
            assertEquals(sb, betaGrad[c], 1e-4);
            assertEquals(sg, gammaGrad[c], 1e-3);
        }
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @Test
    void defaultGroupsKeepTwoChannelsPerGroupAndCapAt32() {
        int[] channels = {1, 2, 3, 6, 8, 16, 48, 64, 128, 192, 2048};
        int[] groups = {1, 1, 1, 3, 4, 8, 24, 32, 32, 32, 32};
        int[] got = new int[channels.length];
        for (int i = 0; i < channels.length; i++) got[i] = GroupNorm.defaultGroups(channels[i]);
        assertArrayEquals(groups, got);
    }

    @Test
    void rejectsChannelsThatDoNotSplit() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 5, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> GroupNorm.groupNorm(x, 2, m.ones(new Shape(5)), m.zeros(new Shape(5))));
        }
    }
}
