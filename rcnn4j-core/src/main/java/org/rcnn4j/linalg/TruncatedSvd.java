package org.rcnn4j.linalg;

import java.util.stream.IntStream;

/**
 * Truncated SVD of a fully connected layer (Fast R-CNN §3.1): a u×v weight matrix W (u outputs,
 * v inputs, row-major as DJL's {@code Linear} stores it, y = Wx + b) is approximated by
 * W ≈ U_t Σ_t V_tᵀ, keeping the t largest singular values, and the layer becomes two: a first one
 * without bias of weight Σ_t V_tᵀ (t×v), then a second of weight U_t (u×t) with the original bias,
 * no non-linearity between. Weight parameters drop from uv to t(u + v).
 *
 * <p>How: the eigen-decomposition ({@link SymmetricEigen}, double precision) of the smaller Gram
 * matrix, W Wᵀ (u×u) when u ≤ v, else Wᵀ W (v×v). Its eigenvalues are σ², its eigenvectors U (or V);
 * the other factor comes by projection, U_tᵀ W = Σ_t V_tᵀ (or W V_t = U_t Σ_t), with no division by
 * σ, so tiny singular values cost no accuracy and W's rank-t approximation is exactly the projection
 * of W onto the kept singular vectors. Squaring W into its Gram matrix limits the precision of
 * singular values below about 1e-8 σ_max, far beneath float weights' own precision. (DJL 0.36 has no
 * SVD; libtorch's would need a tensor round trip for a one-off computation of seconds.)
 * When v &lt; u the Σ_t scaling sits in the second layer instead of the first; the product is the same.
 */
public final class TruncatedSvd {
    private static final int TILE = 16;
    private static final int CHUNK = 512;

    private TruncatedSvd() {}

    /**
     * The two factors of a layer at rank t.
     *
     * @param first          weight of the first layer, t×v row-major (no bias)
     * @param second         weight of the second layer, u×t row-major (takes the original bias)
     * @param singularValues all min(u, v) singular values of W, descending
     */
    public record Factors(int u, int v, int t, float[] first, float[] second, double[] singularValues) {
        /** Frobenius norm of W − second·first: the root of the sum of the discarded σ². */
        public double discardedNorm() {
            double s = 0;
            for (int i = t; i < singularValues.length; i++) s += singularValues[i] * singularValues[i];
            return Math.sqrt(s);
        }
    }

    /**
     * Factorises W at rank t.
     *
     * @param w u×v weights, row-major (DJL {@code Linear}: outputs × inputs)
     * @param t rank kept, 1 ≤ t ≤ min(u, v)
     */
    public static Factors factorise(float[] w, int u, int v, int t) {
        if (u < 1 || v < 1 || (long) u * v != w.length) {
            throw new IllegalArgumentException("weights: expected " + u + "×" + v + " values, got " + w.length);
        }
        if (t < 1 || t > Math.min(u, v)) {
            throw new IllegalArgumentException("rank " + t + " outside 1.." + Math.min(u, v) + " for a " + u + "×" + v + " layer");
        }
        boolean rowsSmaller = u <= v;
        double[][] rows = rowsSmaller ? rows(w, u, v) : rows(transpose(w, u, v), v, u);
        SymmetricEigen.Result eig = SymmetricEigen.decompose(gram(rows));
        int n = eig.values().length;
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) sigma[i] = Math.sqrt(Math.max(0, eig.values()[i]));
        // basis: t×n (the kept singular vectors of the smaller side); projected: t×m, basis·rows.
        int m = rows[0].length;
        float[] basis = new float[t * n];
        float[] projected = new float[t * m];
        IntStream.range(0, t).parallel().forEach(k -> {
            double[] b = eig.vectors()[k];
            double[] acc = new double[m];
            for (int i = 0; i < n; i++) {
                basis[k * n + i] = (float) b[i];
                double bi = b[i];
                if (bi == 0) continue;
                double[] row = rows[i];
                for (int j = 0; j < m; j++) acc[j] += bi * row[j];
            }
            for (int j = 0; j < m; j++) projected[k * m + j] = (float) acc[j];
        });
        // u ≤ v: first = U_tᵀW (t×v), second = U_t (u×t). Else first = V_tᵀ (t×v), second = W V_t (u×t).
        return rowsSmaller
                ? new Factors(u, v, t, projected, transpose(basis, t, u), sigma)
                : new Factors(u, v, t, basis, transpose(projected, t, u), sigma);
    }

    /** Weight parameters of the factorised pair, t(u + v), against uv for the layer itself (biases apart). */
    public static long factorisedWeights(int u, int v, int t) {
        return (long) t * (u + v);
    }

    /**
     * G = R Rᵀ for the rows R (n×m). Tiles of {@value #TILE} rows against {@value #TILE} rows over
     * chunks of {@value #CHUNK} columns, so that each chunk is read from cache {@value #TILE} times
     * instead of from memory (the untiled loop was memory-bound, under 1 GMAC/s). Tiles run in
     * parallel; each entry is summed by one thread in a fixed order, so the result does not depend on
     * the thread count.
     */
    static double[][] gram(double[][] r) {
        int n = r.length;
        int m = n == 0 ? 0 : r[0].length;
        double[][] g = new double[n][n];
        int tiles = (n + TILE - 1) / TILE;
        IntStream.range(0, tiles * tiles).parallel().forEach(tile -> {
            int i0 = tile / tiles * TILE;
            int j0 = tile % tiles * TILE;
            if (j0 > i0) return;
            for (int k0 = 0; k0 < m; k0 += CHUNK) {
                int k1 = Math.min(m, k0 + CHUNK);
                for (int i = i0; i < Math.min(n, i0 + TILE); i++) {
                    for (int j = j0; j <= Math.min(i, j0 + TILE - 1); j++) g[i][j] += dot(r[i], r[j], k0, k1);
                }
            }
        });
        return g;
    }

    /** Four partial sums: breaks the add chain's latency, several times faster than one accumulator. */
    private static double dot(double[] x, double[] y, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = from;
        for (; k + 3 < to; k += 4) {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < to; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }

    private static double[][] rows(float[] w, int n, int m) {
        double[][] r = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) r[i][j] = w[i * m + j];
        return r;
    }

    /** The transpose of a rows×cols row-major matrix. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }
}
