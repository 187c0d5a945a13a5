package org.rcnn4j.linalg;

import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A class-specific linear SVM as R-CNN trains one per class on fc7 features (Girshick et al. 2014,
 * §2.3 and Appendix B; {@code rcnn_train.m}: liblinear {@code -s 3 -c 0.001 -w1 2 -B 10}): score(x) =
 * wᵀx + b.
 *
 * <p><b>Training</b> minimises the primal of the L2-regularised L1-loss (hinge) SVM over the
 * augmented vectors x̃ = [x, B] and weights w̃ = [w, w_B]:
 * <pre>
 *   P(w̃) = ½‖w̃‖² + Σ_i C_i max(0, 1 − y_i w̃ᵀx̃_i),   C_i = C·w₁ for y_i = +1, C for y_i = −1
 * </pre>
 * by dual coordinate descent ({@link DualCoordinateDescent}; Hsieh et al., ICML 2008). As in
 * liblinear the bias weight w_B is regularised with the others; the model's bias is b = w_B·B, so a
 * large B (R-CNN: 10) makes the bias cheap. Positives weigh w₁ = 2 times more than negatives because
 * hard negative mining leaves many more negatives than positives.
 *
 * <p><b>Shapes.</b> n training rows of dimension d, either flat row-major {@code float[n·d]} or
 * {@code float[n][d]}; labels {@code int[n]} of +1 and −1. Weights are kept in double precision;
 * scores come back as floats, as R-CNN's detectors give them.
 *
 * <p><b>Determinism.</b> The only randomness is the order of coordinates, drawn from the caller's
 * generator: the same generator state and data give the same model.
 */
public final class LinearSvm {
    private final double[] augmentedWeights;
    private final double biasFeature;
    private final Training training;

    /**
     * Solver settings.
     *
     * @param c              C, the cost of a negative's hinge loss
     * @param positiveWeight w₁: a positive's cost is C·w₁
     * @param biasFeature    B, the value of the constant feature appended to each row (0: no bias)
     * @param eps            stopping tolerance on the spread of the dual's projected gradient
     * @param maxIterations  outer iterations (passes over the active variables) at most
     */
    public record Parameters(double c, double positiveWeight, double biasFeature, double eps, int maxIterations) {
        public Parameters {
            if (!(c > 0) || !(positiveWeight > 0) || !(eps > 0) || Double.isInfinite(c * positiveWeight)) {
                throw new IllegalArgumentException("SVM costs and tolerance must be positive and finite: C " + c
                        + ", w1 " + positiveWeight + ", eps " + eps);
            }
            if (!(biasFeature >= 0) || Double.isInfinite(biasFeature)) {
                throw new IllegalArgumentException("bias feature " + biasFeature + " (0 for none)");
            }
            if (maxIterations < 1) throw new IllegalArgumentException("max iterations " + maxIterations);
        }

        /**
         * R-CNN's settings ({@code rcnn_train.m}): C = 0.001, w₁ = 2, B = 10; liblinear's default ε = 0.1 for
         * {@code -s 3}, and its limit of 1000 outer iterations in the 1.x versions R-CNN ships (1.94). liblinear-java
         * 2.44's {@code train} stops its dual solvers at 300 instead; at C = 0.001 either limit is far from reached.
         */
        public static Parameters rcnn() {
            return new Parameters(0.001, 2, 10, 0.1, 1000);
        }

        public Parameters withC(double value) {
            return new Parameters(value, positiveWeight, biasFeature, eps, maxIterations);
        }

        public Parameters withPositiveWeight(double value) {
            return new Parameters(c, value, biasFeature, eps, maxIterations);
        }

        public Parameters withBiasFeature(double value) {
            return new Parameters(c, positiveWeight, value, eps, maxIterations);
        }

        public Parameters withEps(double value) {
            return new Parameters(c, positiveWeight, biasFeature, value, maxIterations);
        }

        public Parameters withMaxIterations(int value) {
            return new Parameters(c, positiveWeight, biasFeature, eps, value);
        }

        /** C_i for a row of label y. */
        double cost(int y) {
            return y > 0 ? c * positiveWeight : c;
        }
    }

    /**
     * How a training run ended.
     *
     * @param iterations      outer iterations of coordinate descent
     * @param converged       false when the iteration limit stopped it before the tolerance was met
     * @param primalObjective P(w̃) on the training rows
     * @param dualObjective   D(α) = Σ α_i − ½‖w̃‖² ≤ P(w̃); the gap bounds the distance to the optimum
     */
    public record Training(int iterations, boolean converged, double primalObjective, double dualObjective) {}

    private LinearSvm(double[] augmentedWeights, double biasFeature, Training training) {
        this.augmentedWeights = augmentedWeights;
        this.biasFeature = biasFeature;
        this.training = training;
    }

    /**
     * Trains on a flat row-major n×d matrix.
     *
     * @param x      features, n·d values, row i at [i·d, (i + 1)·d)
     * @param y      labels, +1 or −1, n of them
     * @param d      feature dimension
     * @param random draws the coordinate order (e.g. {@code new SplittableRandom(seed)})
     */
    public static LinearSvm train(float[] x, int[] y, int d, Parameters parameters, RandomGenerator random) {
        FeatureRows rows = FeatureRows.flat(x, d, parameters.biasFeature());
        return train(rows, y, parameters, random);
    }

    /** Trains on n rows of dimension d (every {@code x[i].length == d}). */
    public static LinearSvm train(float[][] x, int[] y, int d, Parameters parameters, RandomGenerator random) {
        return train(FeatureRows.of(x, d, parameters.biasFeature()), y, parameters, random);
    }

    private static LinearSvm train(FeatureRows rows, int[] y, Parameters parameters, RandomGenerator random) {
        checkLabels(y, rows.n);
        DualCoordinateDescent.Solution s = DualCoordinateDescent.solve(rows, y, parameters.cost(-1), parameters.cost(1),
                parameters.eps(), parameters.maxIterations(), random);
        double primal = primalObjective(s.w(), rows, y, parameters);
        Training training = new Training(s.iterations(), s.converged(), primal, s.dualObjective());
        return new LinearSvm(s.w(), parameters.biasFeature(), training);
    }

    /**
     * A model from its augmented weights w̃ = [w, w_B] (d + 1), as liblinear's {@code model.w} with
     * {@code -B biasFeature}: w = w̃[0, d), b = w̃[d]·B.
     */
    public static LinearSvm fromAugmentedWeights(double[] augmentedWeights, double biasFeature) {
        if (augmentedWeights.length < 2) throw new IllegalArgumentException("need d + 1 ≥ 2 weights");
        return new LinearSvm(augmentedWeights.clone(), biasFeature, null);
    }

    /** The zero model (every score 0): what R-CNN mines its first negatives against. */
    public static LinearSvm zero(int d, double biasFeature) {
        return new LinearSvm(new double[d + 1], biasFeature, null);
    }

    /** d. */
    public int dimension() {
        return augmentedWeights.length - 1;
    }

    /** w, d values, rounded to float (R-CNN's {@code single(llm.w(1:end-1))}). */
    public float[] weights() {
        float[] w = new float[dimension()];
        for (int j = 0; j < w.length; j++) w[j] = (float) augmentedWeights[j];
        return w;
    }

    /** b = w̃[d]·B. */
    public float bias() {
        return (float) (augmentedWeights[dimension()] * biasFeature);
    }

    /** w̃ = [w, w_B], d + 1 doubles (a copy). */
    public double[] augmentedWeights() {
        return augmentedWeights.clone();
    }

    public double biasFeature() {
        return biasFeature;
    }

    /** How training ended; empty for a model built from given weights. */
    public Optional<Training> training() {
        return Optional.ofNullable(training);
    }

    /** wᵀx + b for one feature vector of length d. */
    public float score(float[] x) {
        if (x.length != dimension()) throw new IllegalArgumentException("expected " + dimension() + " features, got " + x.length);
        return (float) score(x, 0);
    }

    /** Scores of the n rows of a flat row-major n×d matrix. */
    public float[] scores(float[] x) {
        int d = dimension();
        if (x.length % d != 0) throw new IllegalArgumentException(x.length + " values are not rows of dimension " + d);
        float[] s = new float[x.length / d];
        for (int i = 0; i < s.length; i++) s[i] = (float) score(x, i * d);
        return s;
    }

    private double score(float[] x, int offset) {
        int d = dimension();
        return FeatureRows.dotRow(x, offset, d, augmentedWeights) + augmentedWeights[d] * biasFeature;
    }

    /** P(w̃) of this model on a flat row-major n×d matrix, with the costs of {@code parameters} (its B ignored: this model's). */
    public double primalObjective(float[] x, int[] y, Parameters parameters) {
        FeatureRows rows = FeatureRows.flat(x, dimension(), biasFeature);
        checkLabels(y, rows.n);
        return primalObjective(augmentedWeights, rows, y, parameters);
    }

    /** P(w̃) of this model on n rows of dimension d. */
    public double primalObjective(float[][] x, int[] y, Parameters parameters) {
        FeatureRows rows = FeatureRows.of(x, dimension(), biasFeature);
        checkLabels(y, rows.n);
        return primalObjective(augmentedWeights, rows, y, parameters);
    }

    /** ½‖w̃‖² + Σ_i C_i max(0, 1 − y_i w̃ᵀx̃_i). */
    private static double primalObjective(double[] w, FeatureRows rows, int[] y, Parameters parameters) {
        double regulariser = 0;
        for (double v : w) regulariser += v * v;
        double loss = 0;
        for (int i = 0; i < rows.n; i++) {
            loss += parameters.cost(y[i]) * Math.max(0, 1 - y[i] * rows.dot(i, w));
        }
        return regulariser / 2 + loss;
    }

    private static void checkLabels(int[] y, int n) {
        if (y.length != n) throw new IllegalArgumentException(n + " rows but " + y.length + " labels");
        for (int i = 0; i < n; i++) {
            if (y[i] != 1 && y[i] != -1) throw new IllegalArgumentException("label " + y[i] + " at row " + i + ": expected +1 or −1");
        }
    }

    @Override
    public String toString() {
        return "LinearSvm[d=" + dimension() + ", b=" + bias() + ", |w|=" + Math.sqrt(Arrays.stream(augmentedWeights).map(v -> v * v).sum()) + "]";
    }
}
