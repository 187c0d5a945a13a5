package org.rcnn4j.linalg;

import java.util.stream.IntStream;

/**
 * R-CNN's class-specific bounding-box regression (Girshick et al. 2014, Appendix C;
 * {@code rcnn_train_bbox_regressor.m}, {@code rcnn_predict_bbox_regressor.m}): a ridge regression
 * from a region's features to its box targets, one model per class.
 *
 * <p><b>Inputs.</b> Features X, n×d (R-CNN: pool5, 9216-d; SPP-net: pooled conv5), already scaled
 * by the caller so that their mean L2 norm is 20; targets, n×k (k = 4: {@code (tx, ty, tw, th)} of
 * {@code org.rcnn4j.box.BoxCoder.rcnn()}, widths without +1), from the proposals that overlap a
 * ground-truth box of the class by IoU &gt; 0.6 (SPP-net: 0.5).
 *
 * <p><b>Fit.</b> The targets are centred and whitened ({@link TargetWhitening}: Y = (T − μ) T_w),
 * then, on A = [X, 1] (the bias as a constant feature), for each whitened column y
 * <pre>
 *   β = argmin ‖Aβ − y‖² + λ‖β‖²,   i.e.   (AᵀA + λI) β = Aᵀy,
 * </pre>
 * solved by the Cholesky factorisation of AᵀA + λI ({@link Cholesky}), shared by the k columns, or,
 * with fewer samples than features, of the n-square AAᵀ + λI of the same problem's dual form.
 * λ = 1000 for R-CNN ({@link #RCNN_LAMBDA}), 4000 for SPP-net. <b>The bias is regularised</b> with
 * the same λ, as the reference does ({@code lambda*eye(size(A,2))} with the ones column inside A);
 * the whitened targets have mean 0, so the penalty on the bias only pulls it towards their mean.
 *
 * <p><b>Predict.</b> {@code t = ([x, 1] β) T_w⁻¹ + μ}, then {@code org.rcnn4j.box.BoxCoder.rcnn()}
 * decodes t against the proposal. {@link #weights()} folds the un-whitening into one (d + 1)×k
 * matrix, so that prediction is a single affine map.
 *
 * <p>Plain Java in double precision: AᵀA is accumulated over blocks of samples, its rows in
 * parallel (each entry summed by one thread in a fixed order, so results do not depend on the
 * thread count); memory (d + 1)²/2 doubles (340 MB at d = 9216), or n²/2 + nd in the dual form.
 * Immutable.
 */
public final class RidgeRegression {
    /** R-CNN's λ. */
    public static final double RCNN_LAMBDA = 1000;
    /** SPP-net's λ. */
    public static final double SPPNET_LAMBDA = 4000;

    /** Samples accumulated into AᵀA per pass over its rows. */
    private static final int BLOCK = 64;
    /** Below this many multiply-adds a block is accumulated on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 16;

    private final int d;
    private final int k;
    private final double lambda;
    private final TargetWhitening whitening;
    /** β, (d + 1)×k row-major in the whitened space, the bias in the last row. */
    private final double[] beta;

    private RidgeRegression(int d, int k, double lambda, TargetWhitening whitening, double[] beta) {
        this.d = d;
        this.k = k;
        this.lambda = lambda;
        this.whitening = whitening;
        this.beta = beta;
    }

    /**
     * Fits the regression.
     *
     * @param features n×d row-major, scaled by the caller (R-CNN: mean L2 norm 20)
     * @param n        samples, at least 1
     * @param d        feature dimension, at least 1
     * @param targets  n×k row-major
     * @param k        target values per sample (4 for boxes)
     * @param lambda   λ ≥ 0; 0 only when AᵀA is positive definite
     * @throws ArithmeticException if AᵀA + λI is not numerically positive definite
     */
    public static RidgeRegression fit(float[] features, int n, int d, float[] targets, int k, double lambda) {
        if (n < 1 || d < 1 || k < 1 || features.length != (long) n * d || targets.length != (long) n * k) {
            throw new IllegalArgumentException("expected " + n + "×" + d + " features and " + n + "×" + k
                    + " targets (n, d, k >= 1), got " + features.length + " and " + targets.length + " values");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        return fit(features, n, d, targets, k, lambda, n < d + 1 && lambda > 0);
    }

    /**
     * {@link #fit}, solving the primal normal equations ({@code dual} false) or the dual ones: with
     * fewer samples than unknowns (n &lt; d + 1) the identity {@code (AᵀA + λI)⁻¹Aᵀ = Aᵀ(AAᵀ + λI)⁻¹}
     * turns the (d + 1)-square system into an n-square one, β = Aᵀα with {@code (AAᵀ + λI) α = y}:
     * n²d/2 multiply-adds for AAᵀ instead of nd²/2, and an n³ factorisation instead of d³ (for
     * R-CNN's pool5 of 6272 values and 2000 pairs of a class, 13 G instead of 39 G and 2.7 G instead
     * of 82 G). The same β up to rounding; the dual needs λ &gt; 0.
     */
    static RidgeRegression fit(float[] features, int n, int d, float[] targets, int k, double lambda, boolean dual) {
        TargetWhitening whitening = TargetWhitening.estimate(targets, k);
        double[] y = whitening.whiten(targets);
        double[] beta = dual ? dualSolution(features, n, d, y, k, lambda) : primalSolution(features, n, d, y, k, lambda);
        return new RidgeRegression(d, k, lambda, whitening, beta);
    }

    /** β from {@code (AᵀA + λI) β = Aᵀy}: (d + 1)×k row-major. */
    private static double[] primalSolution(float[] features, int n, int d, double[] y, int k, double lambda) {
        int m = d + 1;
        double[][] gram = new double[m][];
        for (int i = 0; i < m; i++) gram[i] = new double[i + 1];
        double[][] rhs = new double[k][m];
        accumulate(features, n, d, y, k, gram, rhs);
        for (int i = 0; i < m; i++) gram[i][i] += lambda;
        Cholesky.factorise(gram);
        double[] beta = new double[m * k];
        for (int c = 0; c < k; c++) {
            Cholesky.solve(gram, rhs[c]);
            for (int j = 0; j < m; j++) beta[j * k + c] = rhs[c][j];
        }
        return beta;
    }

    /** β = Aᵀα from {@code (AAᵀ + λI) α = y}: (d + 1)×k row-major. */
    private static double[] dualSolution(float[] x, int n, int d, double[] y, int k, double lambda) {
        double[][] rows = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] a = new double[d];
            for (int j = 0; j < d; j++) a[j] = x[i * d + j];
            rows[i] = a;
        });
        // Lower triangle of AAᵀ + λI, rows [x, 1]: entry (i, j) = x_i·x_j + 1.
        double[][] kernel = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] row = new double[i + 1];
            double[] a = rows[i];
            for (int j = 0; j <= i; j++) row[j] = dot(a, rows[j]) + 1;
            row[i] += lambda;
            kernel[i] = row;
        });
        Cholesky.factorise(kernel);
        double[] beta = new double[(d + 1) * k];
        for (int c = 0; c < k; c++) {
            double[] alpha = new double[n];
            for (int i = 0; i < n; i++) alpha[i] = y[i * k + c];
            Cholesky.solve(kernel, alpha);
            for (int i = 0; i < n; i++) {
                double ai = alpha[i];
                double[] a = rows[i];
                for (int j = 0; j < d; j++) beta[j * k + c] += ai * a[j];
                beta[d * k + c] += ai;
            }
        }
        return beta;
    }

    /** a·b, four partial sums (breaks the add chain's latency). */
    private static double dot(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < a.length; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < a.length; j++) s0 += a[j] * b[j];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Adds AᵀA (lower triangle) to {@code gram} and Aᵀy to {@code rhs[c]} for each whitened target
     * column c, a block of samples at a time: row i of AᵀA gains {@code a_s[i]·a_s[0..i]} for each
     * sample s of the block, an update over contiguous memory that keeps the row in cache.
     */
    private static void accumulate(float[] x, int n, int d, double[] y, int k, double[][] gram, double[][] rhs) {
        int m = d + 1;
        double[][] block = new double[BLOCK][m];
        for (int first = 0; first < n; first += BLOCK) {
            int size = Math.min(BLOCK, n - first);
            for (int s = 0; s < size; s++) {
                double[] a = block[s];
                int offset = (first + s) * d;
                for (int j = 0; j < d; j++) a[j] = x[offset + j];
                a[d] = 1;
            }
            int from = first;
            if ((long) size * m * m / 2 < PARALLEL_WORK) {
                for (int i = 0; i < m; i++) accumulateRow(i, block, size, y, from, k, gram, rhs);
            } else {
                IntStream.range(0, m).parallel().forEach(i -> accumulateRow(i, block, size, y, from, k, gram, rhs));
            }
        }
    }

    private static void accumulateRow(int i, double[][] block, int size, double[] y, int first, int k,
            double[][] gram, double[][] rhs) {
        double[] row = gram[i];
        for (int s = 0; s < size; s++) {
            double[] a = block[s];
            double ai = a[i];
            if (ai == 0) continue;
            for (int j = 0; j <= i; j++) row[j] += ai * a[j];
            int t = (first + s) * k;
            for (int c = 0; c < k; c++) rhs[c][i] += ai * y[t + c];
        }
    }

    /**
     * Predicted targets, un-whitened: {@code ([x, 1] β) T_w⁻¹ + μ} for each row x.
     *
     * @param features n×d row-major, scaled as for {@link #fit}
     * @return n×k targets
     */
    public float[] predict(float[] features, int n) {
        if (n < 0 || features.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + "×" + d + " features, got " + features.length + " values");
        }
        double[] whitened = new double[n * k];
        for (int i = 0; i < n; i++) {
            int o = i * k;
            for (int c = 0; c < k; c++) whitened[o + c] = beta[d * k + c];
            for (int j = 0; j < d; j++) {
                double xj = features[i * d + j];
                if (xj == 0) continue;
                for (int c = 0; c < k; c++) whitened[o + c] += xj * beta[j * k + c];
            }
        }
        return whitening.unwhiten(whitened);
    }

    /**
     * The fit in target space as one affine map: (d + 1)×k row-major, {@code β T_w⁻¹} with μ added to
     * the bias row (the last), so that {@code t = [x, 1] · weights}.
     */
    public double[] weights() {
        double[] w = whitening.times(beta, whitening.unwhitening());
        double[] mean = whitening.mean();
        for (int c = 0; c < k; c++) w[d * k + c] += mean[c];
        return w;
    }

    /** β in the whitened space, (d + 1)×k row-major, the bias in the last row (a copy). */
    public double[] whitenedWeights() {
        return beta.clone();
    }

    /** The targets' centring and whitening, estimated by {@link #fit}. */
    public TargetWhitening whitening() {
        return whitening;
    }

    /** d, the feature dimension. */
    public int dimension() {
        return d;
    }

    /** k, target values per sample. */
    public int outputs() {
        return k;
    }

    /** λ. */
    public double lambda() {
        return lambda;
    }
}
