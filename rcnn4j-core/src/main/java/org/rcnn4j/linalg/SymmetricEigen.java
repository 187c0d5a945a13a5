package org.rcnn4j.linalg;

/**
 * Eigen-decomposition of a real symmetric n×n matrix in double precision, the classical two-phase
 * way (Golub &amp; Van Loan, §8.3): Householder reflections reduce the matrix to tridiagonal form
 * T = QᵀAQ, then implicitly shifted QL iterations with Wilkinson shifts diagonalise T, each Givens
 * rotation also applied to the accumulated vectors. O(n³) with small constants; no O(n⁴) Jacobi sweeps,
 * so n = 4096 (VGG16's fc6) stays within minutes.
 *
 * <p>Vectors are kept transposed (one eigenvector per row) so that every inner loop, the Householder
 * updates and the Givens rotations alike, runs over contiguous memory.
 */
final class SymmetricEigen {
    private static final int MAX_ITERATIONS = 64;

    /** Eigenvalues in descending order, with {@code vectors[i]} the unit eigenvector of {@code values[i]}. */
    record Result(double[] values, double[][] vectors) {}

    private SymmetricEigen() {}

    /**
     * @param a symmetric matrix, rows {@code a[i]}; overwritten (only its lower triangle is read)
     * @return the n eigenpairs, largest eigenvalue first
     */
    static Result decompose(double[][] a) {
        int n = a.length;
        double[] d = new double[n];
        double[] e = new double[n];
        double[][] z = tridiagonalise(a, d, e);
        diagonalise(d, e, z);
        return sortDescending(d, z);
    }

    /**
     * Householder reduction: after step k, column k holds the tridiagonal entries. Returns Qᵀ (rows are
     * the columns of Q), fills {@code d} with T's diagonal and {@code e[k]} with T(k+1, k).
     */
    private static double[][] tridiagonalise(double[][] a, double[] d, double[] e) {
        int n = a.length;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) a[i][j] = a[j][i];
        double[][] reflectors = new double[n][];
        double[] betas = new double[n];
        double[] p = new double[n];
        for (int k = 0; k + 2 < n; k++) {
            int m = n - k - 1;
            double[] v = new double[m];
            double norm2 = 0;
            for (int i = 0; i < m; i++) {
                v[i] = a[k + 1 + i][k];
                norm2 += v[i] * v[i];
            }
            d[k] = a[k][k];
            if (norm2 == 0) {
                e[k] = 0;
                continue;
            }
            // alpha of the opposite sign to v[0] so that v[0] - alpha does not cancel.
            double alpha = v[0] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
            e[k] = alpha;
            v[0] -= alpha;
            double vv = norm2 - 2 * alpha * (v[0] + alpha) + alpha * alpha;
            double beta = 2 / vv;
            // A22 <- H A22 H with H = I - beta v vᵀ, as the rank-2 update A22 - v qᵀ - q vᵀ.
            double vp = 0;
            for (int i = 0; i < m; i++) {
                double[] row = a[k + 1 + i];
                double s = 0;
                for (int j = 0; j < m; j++) s += row[k + 1 + j] * v[j];
                p[i] = beta * s;
                vp += v[i] * p[i];
            }
            double half = beta * vp / 2;
            for (int i = 0; i < m; i++) p[i] -= half * v[i];
            for (int i = 0; i < m; i++) {
                double[] row = a[k + 1 + i];
                double vi = v[i];
                double pi = p[i];
                for (int j = 0; j < m; j++) row[k + 1 + j] -= vi * p[j] + pi * v[j];
            }
            reflectors[k] = v;
            betas[k] = beta;
        }
        for (int k = Math.max(0, n - 2); k < n; k++) d[k] = a[k][k];
        if (n >= 2) e[n - 2] = a[n - 1][n - 2];
        return accumulate(reflectors, betas, n);
    }

    /** Qᵀ = H_{n-3} ⋯ H_0, built by right-multiplying the identity with H_k for descending k. */
    private static double[][] accumulate(double[][] reflectors, double[] betas, int n) {
        double[][] qt = new double[n][n];
        for (int i = 0; i < n; i++) qt[i][i] = 1;
        for (int k = n - 3; k >= 0; k--) {
            double[] v = reflectors[k];
            if (v == null) continue;
            int off = k + 1;
            for (int r = off; r < n; r++) {
                double[] row = qt[r];
                double s = 0;
                for (int j = 0; j < v.length; j++) s += row[off + j] * v[j];
                if (s == 0) continue;
                s *= betas[k];
                for (int j = 0; j < v.length; j++) row[off + j] -= s * v[j];
            }
        }
        return qt;
    }

    /**
     * Implicit QL on the tridiagonal (d, e): repeatedly deflates the top of the unreduced block
     * starting at l, chasing the bulge of a Wilkinson-shifted step from its bottom to its top.
     */
    private static void diagonalise(double[] d, double[] e, double[][] z) {
        int n = d.length;
        for (int l = 0; l < n; l++) {
            for (int iteration = 0; ; iteration++) {
                int m = l;
                while (m < n - 1) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= 0x1p-53 * dd || Math.abs(e[m]) < Double.MIN_NORMAL) break;
                    m++;
                }
                if (m == l) break;
                if (iteration == MAX_ITERATIONS) {
                    throw new ArithmeticException("eigenvalue " + l + " did not converge in " + MAX_ITERATIONS + " QL steps");
                }
                qlStep(d, e, z, l, m);
            }
        }
    }

    /** One shifted QL step on the block l..m (e[m] is negligible). */
    private static void qlStep(double[] d, double[] e, double[][] z, int l, int m) {
        double g = (d[l + 1] - d[l]) / (2 * e[l]);
        double r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
        double s = 1;
        double c = 1;
        double p = 0;
        for (int i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = Math.hypot(f, g);
            e[i + 1] = r;
            if (r == 0) {
                // The rotation underflowed: the block split at i + 1; finish this step there.
                d[i + 1] -= p;
                e[m] = 0;
                return;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
            rotate(z[i], z[i + 1], c, s);
        }
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
    }

    /** Rows (x, y) ← (c·x − s·y, s·x + c·y): the Givens rotation on two eigenvector rows. */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int k = 0; k < x.length; k++) {
            double xk = x[k];
            double yk = y[k];
            y[k] = s * xk + c * yk;
            x[k] = c * xk - s * yk;
        }
    }

    private static Result sortDescending(double[] d, double[][] z) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = d[order[i]];
            vectors[i] = z[order[i]];
        }
        return new Result(values, vectors);
    }
}
