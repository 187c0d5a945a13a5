package org.rcnn4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.linalg.SymmetricEigen;
import org.rcnn4j.linalg.TruncatedSvd;

class TruncatedSvdTest {
    @Test
    void fullRankPairReproducesWxForWideAndTallLayers() {
        for (int[] uv : new int[][] {{40, 90}, {90, 40}, {64, 64}}) {
            int u = uv[0];
            int v = uv[1];
            float[] w = random(u * v, 1);
            TruncatedSvd.Factors f = TruncatedSvd.factorise(w, u, v, Math.min(u, v));
            SplittableRandom random = new SplittableRandom(2);
            for (int trial = 0; trial < 5; trial++) {
                float[] x = new float[v];
                for (int j = 0; j < v; j++) x[j] = (float) random.nextGaussian();
                double[] exact = multiply(w, u, v, x);
                double[] pair = multiply(f.second(), u, f.t(), toFloat(multiply(f.first(), f.t(), v, x)));
                assertTrue(relativeError(pair, exact) < 1e-5, u + "x" + v + ": " + relativeError(pair, exact));
            }
        }
    }

    @Test
    void truncationErrorIsTheDiscardedSingularValues() {
        // W = A diag(σ) Bᵀ with orthonormal A (30×12), B (50×12): its singular values are σ by construction.
        int u = 30;
        int v = 50;
        double[] sigma = {9, 7, 6.5, 5, 4, 3, 2.5, 2, 1, 0.5, 0.25, 0.1};
        double[][] a = orthonormalColumns(u, sigma.length, 5);
        double[][] b = orthonormalColumns(v, sigma.length, 6);
        float[] w = new float[u * v];
        for (int i = 0; i < u; i++) {
            for (int j = 0; j < v; j++) {
                double s = 0;
                for (int k = 0; k < sigma.length; k++) s += a[i][k] * sigma[k] * b[j][k];
                w[i * v + j] = (float) s;
            }
        }
        for (int t : new int[] {1, 3, 8, 12}) {
            for (boolean transposed : new boolean[] {false, true}) {
                float[] m = transposed ? TruncatedSvd.transpose(w, u, v) : w;
                int rows = transposed ? v : u;
                int cols = transposed ? u : v;
                TruncatedSvd.Factors f = TruncatedSvd.factorise(m, rows, cols, t);
                for (int k = 0; k < sigma.length; k++) assertEquals(sigma[k], f.singularValues()[k], 1e-5, "σ" + k);
                for (int k = sigma.length; k < Math.min(u, v); k++) assertEquals(0, f.singularValues()[k], 1e-3, "σ" + k);
                double expected = 0;
                for (int k = t; k < sigma.length; k++) expected += sigma[k] * sigma[k];
                expected = Math.sqrt(expected);
                double error = frobeniusDifference(m, product(f.second(), f.first(), rows, t, cols));
                assertEquals(expected, error, 1e-4, "t = " + t + (transposed ? " (tall)" : ""));
                assertEquals(expected, f.discardedNorm(), 1e-4);
            }
        }
    }

    @Test
    void handMadeRankTwoMatrix() {
        // Rows (1, 0, 0, 0), (0, 2, 0, 0), (1, 2, 0, 0): rank 2 (row 3 = row 1 + row 2).
        float[] w = {1, 0, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0};
        TruncatedSvd.Factors f = TruncatedSvd.factorise(w, 3, 4, 2);
        // WᵀW restricted to the first two inputs is [[2, 2], [2, 8]]: trace 10, determinant 12, eigenvalues 5 ± sqrt(13).
        assertEquals(Math.sqrt(5 + Math.sqrt(13)), f.singularValues()[0], 1e-9);
        assertEquals(Math.sqrt(5 - Math.sqrt(13)), f.singularValues()[1], 1e-9);
        assertEquals(0, f.singularValues()[2], 1e-6);
        assertArrayEquals(w, toFloat((product(f.second(), f.first(), 3, 2, 4))), 1e-6f);
        // The first layer maps onto span(e1, e2) of the inputs only: its weights on inputs 3 and 4 vanish.
        for (int k = 0; k < 2; k++) {
            assertEquals(0, f.first()[k * 4 + 2], 1e-7);
            assertEquals(0, f.first()[k * 4 + 3], 1e-7);
        }
    }

    @Test
    void parameterCountsAndRankChecks() {
        assertEquals(100L * (512 + 6272), TruncatedSvd.factorisedWeights(512, 6272, 100));
        assertEquals(1024L * (4096 + 25088), TruncatedSvd.factorisedWeights(4096, 25088, 1024));
        TruncatedSvd.Factors f = TruncatedSvd.factorise(random(6 * 9, 3), 6, 9, 4);
        assertEquals(4 * 9, f.first().length);
        assertEquals(6 * 4, f.second().length);
        assertEquals(TruncatedSvd.factorisedWeights(6, 9, 4), f.first().length + f.second().length);
        assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.factorise(new float[54], 6, 9, 7));
        assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.factorise(new float[54], 6, 9, 0));
        assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.factorise(new float[53], 6, 9, 2));
    }

    @Test
    void zeroMatrixFactorisesToZeros() {
        TruncatedSvd.Factors f = TruncatedSvd.factorise(new float[12], 3, 4, 3);
        assertArrayEquals(new float[12], toFloat((product(f.second(), f.first(), 3, 3, 4))));
        assertEquals(0, f.singularValues()[0]);
    }

    @Test
    void eigenDecompositionOfAKnownSymmetricMatrix() {
        // [[2, 1, 0], [1, 2, 1], [0, 1, 2]]: eigenvalues 2 + sqrt(2), 2, 2 − sqrt(2).
        double[][] a = {{2, 1, 0}, {1, 2, 1}, {0, 1, 2}};
        SymmetricEigen.Result r = SymmetricEigen.decompose(a);
        assertArrayEquals(new double[] {2 + Math.sqrt(2), 2, 2 - Math.sqrt(2)}, r.values(), 1e-12);
        double[] top = r.vectors()[0];
        double sign = Math.signum(top[0]);
        assertArrayEquals(new double[] {0.5, Math.sqrt(0.5), 0.5}, new double[] {sign * top[0], sign * top[1], sign * top[2]}, 1e-12);
    }

    @Test
    void eigenVectorsAreOrthonormalAndDiagonalise() {
        int n = 60;
        double[][] a = new double[n][n];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = random.nextGaussian();
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) copy[i] = a[i].clone();
        SymmetricEigen.Result r = SymmetricEigen.decompose(copy);
        for (int p = 0; p < n; p++) {
            if (p > 0) assertTrue(r.values()[p - 1] >= r.values()[p], "descending");
            for (int q = 0; q < n; q++) {
                double dot = 0;
                double vaq = 0;
                for (int i = 0; i < n; i++) {
                    dot += r.vectors()[p][i] * r.vectors()[q][i];
                    double av = 0;
                    for (int j = 0; j < n; j++) av += a[i][j] * r.vectors()[q][j];
                    vaq += r.vectors()[p][i] * av;
                }
                assertEquals(p == q ? 1 : 0, dot, 1e-12);
                assertEquals(p == q ? r.values()[p] : 0, vaq, 1e-10);
            }
        }
    }

    static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) random.nextGaussian();
        return w;
    }

    private static double[][] orthonormalColumns(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] q = new double[n][k];
        for (int c = 0; c < k; c++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) col[i] = random.nextGaussian();
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) d += col[i] * q[i][p];
                    for (int i = 0; i < n; i++) col[i] -= d * q[i][p];
                }
            }
            double norm = 0;
            for (double x : col) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[i][c] = col[i] / norm;
        }
        return q;
    }

    private static double[] multiply(float[] m, int rows, int cols, float[] x) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) y[i] += (double) m[i * cols + j] * x[j];
        return y;
    }

    /** (rows×inner)·(inner×cols). */
    private static double[] product(float[] a, float[] b, int rows, int inner, int cols) {
        double[] c = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                for (int j = 0; j < cols; j++) c[i * cols + j] += (double) a[i * inner + k] * b[k * cols + j];
            }
        }
        return c;
    }

    private static double frobeniusDifference(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    private static double relativeError(double[] x, double[] y) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) * (x[i] - y[i]);
            den += y[i] * y[i];
        }
        return Math.sqrt(num / den);
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
