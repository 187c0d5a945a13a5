package org.rcnn4j.linalg;

/**
 * Centring and whitening of regression targets, as R-CNN's box regressor does before its ridge
 * regression ({@code rcnn_train_bbox_regressor.m}): with n target rows {@code t_i} (k values each),
 * <pre>
 *   μ = mean(t_i),   S = Σ (t_i − μ)ᵀ(t_i − μ) / n,   S = V diag(D) Vᵀ,
 *   T = V diag(1/√(D + ε)) Vᵀ,   T⁻¹ = V diag(√(D + ε)) Vᵀ,   ε = 0.001,
 * </pre>
 * a target row becomes {@code (t − μ) T} and a prediction in that space comes back as
 * {@code y T⁻¹ + μ}. ε keeps T finite when the targets are (nearly) degenerate; S uses n, not
 * n − 1, as the reference. Eigenvalues that rounding leaves below 0 count as 0.
 *
 * <p>Matrices are row-major {@code double[k·k]}; both are symmetric. Immutable.
 */
public final class TargetWhitening {
    /** ε, added to the eigenvalues of S before the square root. */
    public static final double EPSILON = 0.001;

    private final int k;
    private final double[] mean;
    private final double[] whiten;
    private final double[] unwhiten;

    private TargetWhitening(int k, double[] mean, double[] whiten, double[] unwhiten) {
        this.k = k;
        this.mean = mean;
        this.whiten = whiten;
        this.unwhiten = unwhiten;
    }

    /**
     * Estimates μ, T and T⁻¹ from the targets.
     *
     * @param targets n×k row-major, n ≥ 1
     * @param k       values per target row (4 for boxes)
     */
    public static TargetWhitening estimate(float[] targets, int k) {
        if (k < 1 || targets.length == 0 || targets.length % k != 0) {
            throw new IllegalArgumentException("targets must be n×" + k + " with n >= 1, got " + targets.length + " values");
        }
        int n = targets.length / k;
        double[] mean = new double[k];
        for (int i = 0; i < n; i++) for (int c = 0; c < k; c++) mean[c] += targets[i * k + c];
        for (int c = 0; c < k; c++) mean[c] /= n;
        double[][] covariance = new double[k][k];
        double[] centred = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) centred[c] = targets[i * k + c] - mean[c];
            for (int a = 0; a < k; a++) for (int b = 0; b <= a; b++) covariance[a][b] += centred[a] * centred[b];
        }
        for (int a = 0; a < k; a++) for (int b = 0; b <= a; b++) covariance[a][b] /= n;
        SymmetricEigen.Result eig = SymmetricEigen.decompose(covariance);
        double[] inverseRoot = new double[k];
        double[] root = new double[k];
        for (int e = 0; e < k; e++) {
            double d = Math.max(eig.values()[e], 0) + EPSILON;
            root[e] = Math.sqrt(d);
            inverseRoot[e] = 1 / root[e];
        }
        return new TargetWhitening(k, mean,
                spectral(eig.vectors(), inverseRoot), spectral(eig.vectors(), root));
    }

    /** V diag(f) Vᵀ, with {@code vectors[e]} the e-th eigenvector (a column of V). */
    private static double[] spectral(double[][] vectors, double[] f) {
        int k = f.length;
        double[] m = new double[k * k];
        for (int e = 0; e < k; e++) {
            double[] v = vectors[e];
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) m[a * k + b] += v[a] * f[e] * v[b];
        }
        return m;
    }

    /** k, values per target row. */
    public int k() {
        return k;
    }

    /** μ (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** T, k×k row-major (a copy). */
    public double[] whitening() {
        return whiten.clone();
    }

    /** T⁻¹, k×k row-major (a copy). */
    public double[] unwhitening() {
        return unwhiten.clone();
    }

    /** Rows {@code (t − μ) T}: n×k targets into the whitened space. */
    public double[] whiten(float[] targets) {
        double[] centred = new double[checkRows(targets.length)];
        for (int i = 0; i < centred.length; i++) centred[i] = targets[i] - mean[i % k];
        return times(centred, whiten);
    }

    /** Rows {@code y T⁻¹ + μ}: n×k whitened values back into target space. */
    public float[] unwhiten(double[] whitened) {
        double[] back = times(whitened, unwhiten);
        float[] out = new float[back.length];
        for (int i = 0; i < back.length; i++) out[i] = (float) (back[i] + mean[i % k]);
        return out;
    }

    /** The n×k rows times a k×k matrix. */
    double[] times(double[] rows, double[] matrix) {
        double[] out = new double[checkRows(rows.length)];
        for (int i = 0; i < out.length; i += k) {
            for (int a = 0; a < k; a++) {
                double r = rows[i + a];
                for (int b = 0; b < k; b++) out[i + b] += r * matrix[a * k + b];
            }
        }
        return out;
    }

    private int checkRows(int length) {
        if (length % k != 0) {
            throw new IllegalArgumentException(length + " values are not rows of " + k);
        }
        return length;
    }
}
