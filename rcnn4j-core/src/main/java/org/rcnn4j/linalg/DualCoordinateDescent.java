package org.rcnn4j.linalg;

import java.util.random.RandomGenerator;

/**
 * Dual coordinate descent for the L2-regularised L1-loss (hinge) linear SVM, Hsieh, Chang, Lin,
 * Keerthi &amp; Sundararajan, "A dual coordinate descent method for large-scale linear SVM" (ICML 2008),
 * Algorithm 1 with the shrinking of §3.2 (Algorithm 3); liblinear's solver {@code -s 3}.
 *
 * <p><b>Problem.</b> For augmented rows x̃_i = [x_i, B], labels y_i = ±1 and costs C_i, the primal
 * min_w̃ ½‖w̃‖² + Σ_i C_i max(0, 1 − y_i w̃ᵀx̃_i) has the dual
 * min_α f(α) = ½ αᵀQ̄α − Σ_i α_i subject to 0 ≤ α_i ≤ U_i = C_i, with Q̄_ij = y_i y_j x̃_iᵀx̃_j, and
 * w̃ = Σ_i y_i α_i x̃_i at the optimum. The solver keeps w̃ in step with α, so that the i-th partial
 * derivative costs one dot product: G = ∇_i f(α) = y_i w̃ᵀx̃_i − 1 (eq. 8 of the paper).
 *
 * <p><b>Step.</b> Each variable in turn is minimised exactly with the others fixed:
 * α_i ← min(max(α_i − G / Q̄_ii, 0), U_i), then w̃ += (α_i,new − α_i,old) y_i x̃_i. A variable at a bound
 * whose gradient pushes it further out does not move: its projected gradient
 * PG = min(G, 0) at α_i = 0, max(G, 0) at α_i = U_i, G inside, is 0 (eq. 10).
 *
 * <p><b>Order.</b> The variables of an outer iteration are visited in a random permutation (§3.1:
 * random order converges faster than a fixed one), drawn from the caller's generator, so a seed fixes
 * the result.
 *
 * <p><b>Shrinking.</b> With M̄ and m̄ the largest and smallest PG of the previous outer iteration, a
 * variable at 0 with G &gt; M̄, or at U_i with G &lt; m̄, is likely to stay at its bound and leaves the active
 * set (§3.2). <b>Stopping</b>: when max PG − min PG over the active set is at most ε, the variables shrunk
 * so far come back and one more pass over all of them must confirm it; otherwise the solver stops after
 * a fixed number of outer iterations (liblinear: ε = 0.1, 1000 iterations).
 */
final class DualCoordinateDescent {
    /** Steps smaller than this (in PG) are skipped: they would change nothing but rounding. */
    private static final double NEGLIGIBLE_GRADIENT = 1e-12;

    /**
     * @param w            the primal weights w̃ (d + 1, the last one multiplies B)
     * @param sumAlpha     Σ_i α_i, for the dual objective
     * @param iterations   outer iterations run
     * @param converged    whether the projected-gradient test passed before the iteration limit
     */
    record Solution(double[] w, double sumAlpha, int iterations, boolean converged) {
        /** The dual objective in maximisation form, D(α) = Σ α_i − ½‖w̃‖² = −f(α): a lower bound on the primal. */
        double dualObjective() {
            double norm2 = 0;
            for (double v : w) norm2 += v * v;
            return sumAlpha - norm2 / 2;
        }
    }

    private DualCoordinateDescent() {}

    /**
     * @param x             the augmented rows x̃_i
     * @param y             labels, +1 or −1, one per row
     * @param costNegative  C_i for y_i = −1
     * @param costPositive  C_i for y_i = +1
     * @param eps           tolerance on max PG − min PG
     * @param maxIterations outer iterations at most
     * @param random        draws the visiting order
     */
    static Solution solve(FeatureRows x, int[] y, double costNegative, double costPositive, double eps,
                          int maxIterations, RandomGenerator random) {
        int n = x.n;
        double[] w = new double[x.d + 1];
        double[] alpha = new double[n];
        double[] upper = new double[n];
        double[] qii = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            upper[i] = y[i] > 0 ? costPositive : costNegative;
            qii[i] = x.squaredNorm(i);
            if (!Double.isFinite(qii[i])) throw new IllegalArgumentException("row " + i + " has a non-finite feature");
            order[i] = i;
        }
        int active = n;
        double previousMax = Double.POSITIVE_INFINITY;
        double previousMin = Double.NEGATIVE_INFINITY;
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIterations) {
            shuffle(order, active, random);
            double pgMax = Double.NEGATIVE_INFINITY;
            double pgMin = Double.POSITIVE_INFINITY;
            for (int s = 0; s < active; s++) {
                int i = order[s];
                double g = y[i] * x.dot(i, w) - 1;
                double pg;
                if (alpha[i] == 0) {
                    if (g > previousMax) {
                        // Shrink: swap the last active variable into this slot and visit it next.
                        order[s--] = order[--active];
                        order[active] = i;
                        continue;
                    }
                    pg = Math.min(g, 0);
                } else if (alpha[i] == upper[i]) {
                    if (g < previousMin) {
                        order[s--] = order[--active];
                        order[active] = i;
                        continue;
                    }
                    pg = Math.max(g, 0);
                } else {
                    pg = g;
                }
                pgMax = Math.max(pgMax, pg);
                pgMin = Math.min(pgMin, pg);
                if (Math.abs(pg) > NEGLIGIBLE_GRADIENT) {
                    double old = alpha[i];
                    // Q̄_ii = 0 (a zero row without bias): f is linear in α_i with slope −1, so α_i goes to U_i.
                    double unclipped = qii[i] > 0 ? old - g / qii[i] : upper[i];
                    alpha[i] = Math.min(Math.max(unclipped, 0), upper[i]);
                    x.addScaled(i, (alpha[i] - old) * y[i], w);
                }
            }
            iteration++;
            if (pgMax - pgMin <= eps) {
                if (active == n) {
                    converged = true;
                    break;
                }
                // Converged on the active set only: bring the shrunk variables back and check them all.
                active = n;
                previousMax = Double.POSITIVE_INFINITY;
                previousMin = Double.NEGATIVE_INFINITY;
                continue;
            }
            // A bound of the wrong sign would shrink variables that still violate optimality.
            previousMax = pgMax > 0 ? pgMax : Double.POSITIVE_INFINITY;
            previousMin = pgMin < 0 ? pgMin : Double.NEGATIVE_INFINITY;
        }
        double sumAlpha = 0;
        for (double a : alpha) sumAlpha += a;
        return new Solution(w, sumAlpha, iteration, converged);
    }

    /** Fisher–Yates over the first {@code size} entries. */
    private static void shuffle(int[] order, int size, RandomGenerator random) {
        for (int k = size - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
    }
}
