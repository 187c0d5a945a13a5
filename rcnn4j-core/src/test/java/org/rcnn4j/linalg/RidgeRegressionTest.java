package org.rcnn4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** R-CNN's box regression: ridge on whitened targets, against closed forms and its normal equations. */
class RidgeRegressionTest {

    private static float[] gaussian(SplittableRandom random, int count, double scale) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) (scale * random.nextGaussian());
        return v;
    }

    /** Rows {@code x C + b + noise}: n×k targets of n×d features, C d×k. */
    private static float[] linear(float[] x, int n, int d, double[] c, double[] b, int k, SplittableRandom noise, double sigma) {
        float[] t = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                double s = b[o] + (noise == null ? 0 : sigma * noise.nextGaussian());
                for (int j = 0; j < d; j++) s += x[i * d + j] * c[j * k + o];
                t[i * k + o] = (float) s;
            }
        }
        return t;
    }

    @Test
    void exactlyLinearTargetsAreRecoveredWithATinyLambda() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 200, d = 6, k = 4;
        float[] x = gaussian(random, n * d, 1);
        double[] c = new double[d * k];
        for (int i = 0; i < c.length; i++) c[i] = random.nextDouble(-0.5, 0.5);
        double[] b = {0.05, -0.02, 0.1, -0.3};
        float[] t = linear(x, n, d, c, b, k, null, 0);
        RidgeRegression fit = RidgeRegression.fit(x, n, d, t, k, 1e-9);
        double[] w = fit.weights();
        double[] expected = new double[(d + 1) * k];
        System.arraycopy(c, 0, expected, 0, c.length);
        System.arraycopy(b, 0, expected, d * k, k);
        assertArrayEquals(expected, w, 1e-4);
        float[] predicted = fit.predict(x, n);
        for (int i = 0; i < t.length; i++) assertEquals(t[i], predicted[i], 1e-4, "target " + i);
    }

    @Test
    void oneDimensionalClosedForm() {
        // x = −2..2 (Σx = 0, Σx² = 10), y = 2x + 1. The whitened targets have mean 0, so with a
        // centred x the normal equations decouple: bias Σy_w / (n + λ) = 0, slope
        // Σx·y_w / (Σx² + λ); un-whitened, slope = Σx(y − ȳ) / (Σx² + λ) = 20 / (10 + λ), intercept ȳ = 1.
        float[] x = {-2, -1, 0, 1, 2};
        float[] y = {-3, -1, 1, 3, 5};
        for (double lambda : new double[] {0, 10, 30}) {
            RidgeRegression fit = RidgeRegression.fit(x, 5, 1, y, 1, lambda);
            double slope = 20 / (10 + lambda);
            assertArrayEquals(new double[] {slope, 1}, fit.weights(), 1e-12, "λ = " + lambda);
            assertEquals(1 + 2 * slope, fit.predict(new float[] {2}, 1)[0], 1e-6);
        }
    }

    @Test
    void whiteningRoundTripsAndDecorrelates() {
        SplittableRandom random = new SplittableRandom(2);
        int n = 500, k = 4;
        // Box-like targets: tx, ty ~ 0.1, tw, th ~ 0.2, tw and th correlated, off-centre means.
        float[] t = new float[n * k];
        for (int i = 0; i < n; i++) {
            double g = random.nextGaussian();
            t[i * k] = (float) (0.02 + 0.1 * random.nextGaussian());
            t[i * k + 1] = (float) (-0.01 + 0.1 * random.nextGaussian());
            t[i * k + 2] = (float) (0.05 + 0.2 * g + 0.05 * random.nextGaussian());
            t[i * k + 3] = (float) (0.03 + 0.15 * g + 0.05 * random.nextGaussian());
        }
        TargetWhitening whitening = TargetWhitening.estimate(t, k);
        double[] whitened = whitening.whiten(t);
        assertArrayEquals(t, whitening.unwhiten(whitened), 1e-5f);
        // T T⁻¹ = I.
        double[] product = whitening.times(whitening.whitening(), whitening.unwhitening());
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) assertEquals(a == b ? 1 : 0, product[a * k + b], 1e-12);
        }
        // The whitened targets have mean 0 and covariance T S T = V diag(D / (D + ε)) Vᵀ, with S the
        // targets' covariance (over n): the identity but for ε.
        double[] mu = whitening.mean();
        double[] s = new double[k * k];
        double[] mean = new double[k];
        double[] cov = new double[k * k];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < k; a++) {
                mean[a] += whitened[i * k + a] / n;
                for (int b = 0; b < k; b++) {
                    cov[a * k + b] += whitened[i * k + a] * whitened[i * k + b] / n;
                    s[a * k + b] += (t[i * k + a] - mu[a]) * (t[i * k + b] - mu[b]) / n;
                }
            }
        }
        assertArrayEquals(new double[k], mean, 1e-9);
        double[] tst = whitening.times(whitening.times(whitening.whitening(), s), whitening.whitening());
        assertArrayEquals(tst, cov, 1e-9);
        // Identical targets: S = 0, T = I / √ε, and the round trip still holds.
        float[] same = {0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f};
        TargetWhitening degenerate = TargetWhitening.estimate(same, 4);
        assertArrayEquals(same, degenerate.unwhiten(degenerate.whiten(same)), 1e-7f);
        assertEquals(1 / Math.sqrt(TargetWhitening.EPSILON), degenerate.whitening()[0], 1e-9);
    }

    @Test
    void lambdaShrinksTheCoefficientsTowardZero() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 100, d = 8, k = 4;
        float[] x = gaussian(random, n * d, 1);
        double[] c = new double[d * k];
        for (int i = 0; i < c.length; i++) c[i] = random.nextDouble(-1, 1);
        float[] t = linear(x, n, d, c, new double[] {0.1, 0.2, -0.1, 0.3}, k, random, 0.1);
        double[] previous = null;
        for (double lambda : new double[] {0.01, 1, 100, 1e4, 1e6}) {
            double[] beta = RidgeRegression.fit(x, n, d, t, k, lambda).whitenedWeights();
            double[] norms = new double[k];
            for (int j = 0; j <= d; j++) for (int o = 0; o < k; o++) norms[o] += beta[j * k + o] * beta[j * k + o];
            if (previous != null) {
                for (int o = 0; o < k; o++) assertTrue(norms[o] < previous[o], "λ = " + lambda + ", column " + o);
            }
            previous = norms;
        }
        // At a huge λ nothing is left but the targets' mean.
        RidgeRegression flat = RidgeRegression.fit(x, n, d, t, k, 1e12);
        float[] predicted = flat.predict(x, n);
        double[] mean = flat.whitening().mean();
        for (int i = 0; i < predicted.length; i++) assertEquals(mean[i % k], predicted[i], 1e-5);
    }

    @Test
    void solutionSatisfiesTheNormalEquationsAtRcnnScale() {
        // Features scaled to mean L2 norm 20, λ = 1000; d large enough for the parallel paths.
        SplittableRandom random = new SplittableRandom(4);
        int n = 700, d = 600, k = 4;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(0, random.nextGaussian());
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += x[i * d + j] * x[i * d + j];
            norm += Math.sqrt(s) / n;
        }
        for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] * 20 / norm);
        float[] t = gaussian(random, n * k, 0.2);
        RidgeRegression fit = RidgeRegression.fit(x, n, d, t, k, RidgeRegression.RCNN_LAMBDA);
        double[] beta = fit.whitenedWeights();
        double[] y = fit.whitening().whiten(t);
        // Aᵀ(Aβ − y) + λβ = 0 for A = [X, 1], column by column, relative to Aᵀy.
        int m = d + 1;
        for (int o = 0; o < k; o++) {
            double[] residual = new double[n];
            for (int i = 0; i < n; i++) {
                double s = beta[d * k + o] - y[i * k + o];
                for (int j = 0; j < d; j++) s += x[i * d + j] * beta[j * k + o];
                residual[i] = s;
            }
            double gradient = 0;
            double scale = 0;
            for (int j = 0; j < m; j++) {
                double g = RidgeRegression.RCNN_LAMBDA * beta[j * k + o];
                double aty = 0;
                for (int i = 0; i < n; i++) {
                    double a = j < d ? x[i * d + j] : 1;
                    g += a * residual[i];
                    aty += a * y[i * k + o];
                }
                gradient += g * g;
                scale += aty * aty;
            }
            assertTrue(Math.sqrt(gradient) < 1e-9 * Math.sqrt(scale), "column " + o + ": " + Math.sqrt(gradient / scale));
        }
    }

    /** With fewer samples than features the dual system is solved: the same β as the primal's. */
    @Test
    void theDualFormGivesThePrimalSolution() {
        SplittableRandom random = new SplittableRandom(6);
        int n = 150, d = 400, k = 4;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(0, 2 * random.nextGaussian());
        float[] t = gaussian(random, n * k, 0.2);
        double[] primal = RidgeRegression.fit(x, n, d, t, k, RidgeRegression.RCNN_LAMBDA, false).whitenedWeights();
        double[] dual = RidgeRegression.fit(x, n, d, t, k, RidgeRegression.RCNN_LAMBDA, true).whitenedWeights();
        double[] chosen = RidgeRegression.fit(x, n, d, t, k, RidgeRegression.RCNN_LAMBDA).whitenedWeights();
        double max = 0;
        for (double b : primal) max = Math.max(max, Math.abs(b));
        assertTrue(max > 1e-4, "a solution that is not all zeros: " + max);
        for (int i = 0; i < primal.length; i++) {
            assertEquals(primal[i], dual[i], 1e-9 * max, "β[" + i + "]");
            assertEquals(dual[i], chosen[i], 0.0, "n < d + 1: the dual is used");
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> RidgeRegression.fit(new float[0], 0, 1, new float[0], 4, 1));
        assertThrows(IllegalArgumentException.class, () -> RidgeRegression.fit(new float[6], 2, 3, new float[7], 4, 1));
        assertThrows(IllegalArgumentException.class, () -> RidgeRegression.fit(new float[6], 2, 3, new float[8], 4, -1));
        // Two samples, three features and no penalty: AᵀA is singular.
        assertThrows(ArithmeticException.class,
                () -> RidgeRegression.fit(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 0));
    }
}
