package org.rcnn4j.linalg;

import java.util.stream.IntStream;

/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive definite m×m matrix and the solves with
 * it, in double precision (Golub &amp; Van Loan, §4.2). The matrix is held as its lower triangle in
 * jagged rows ({@code a[i]} has the i + 1 entries {@code A(i, 0..i)}), half the memory of the full
 * square, and L overwrites it in place.
 *
 * <p>Column by column: {@code L(j, j) = √(A(j, j) − Σ_{k<j} L(j, k)²)}, then for every i &gt; j
 * {@code L(i, j) = (A(i, j) − Σ_{k<j} L(i, k) L(j, k)) / L(j, j)}. Each sum is a dot product of two
 * contiguous row prefixes, and the rows below j are independent of each other, so they run in
 * parallel; each entry is summed by one thread in a fixed order, so the result does not depend on
 * the thread count.
 */
final class Cholesky {
    /** Below this many multiply-adds a column is done on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 16;

    private Cholesky() {}

    /**
     * Factorises in place.
     *
     * @param a the lower triangle of A, row i of length i + 1; overwritten with L
     * @throws ArithmeticException if A is not (numerically) positive definite
     */
    static void factorise(double[][] a) {
        int m = a.length;
        for (int j = 0; j < m; j++) {
            double[] rowJ = a[j];
            double d = rowJ[j] - dot(rowJ, rowJ, j);
            if (!(d > 0)) {
                throw new ArithmeticException("matrix is not positive definite at pivot " + j + ": " + d);
            }
            double pivot = Math.sqrt(d);
            rowJ[j] = pivot;
            int col = j;
            if ((long) (m - j - 1) * j < PARALLEL_WORK) {
                for (int i = j + 1; i < m; i++) eliminate(a[i], rowJ, col, pivot);
            } else {
                IntStream.range(j + 1, m).parallel().forEach(i -> eliminate(a[i], rowJ, col, pivot));
            }
        }
    }

    private static void eliminate(double[] rowI, double[] rowJ, int j, double pivot) {
        rowI[j] = (rowI[j] - dot(rowI, rowJ, j)) / pivot;
    }

    /**
     * Solves L Lᵀ x = b in place: forward substitution L z = b, then back substitution Lᵀ x = z,
     * both reading L by rows.
     *
     * @param l the factor from {@link #factorise}
     * @param b the right-hand side, overwritten with x
     */
    static void solve(double[][] l, double[] b) {
        int m = l.length;
        for (int i = 0; i < m; i++) {
            b[i] = (b[i] - dot(l[i], b, i)) / l[i][i];
        }
        // Lᵀ x = z from the last unknown up: once x_i is known, remove its column of Lᵀ (row i of L)
        // from the equations above it.
        for (int i = m - 1; i >= 0; i--) {
            double[] row = l[i];
            double xi = b[i] / row[i];
            b[i] = xi;
            for (int k = 0; k < i; k++) b[k] -= row[k] * xi;
        }
    }

    /** {@code Σ_{k<n} x[k]·y[k]}, four partial sums to break the add chain's latency. */
    static double dot(double[] x, double[] y, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < n; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }
}
