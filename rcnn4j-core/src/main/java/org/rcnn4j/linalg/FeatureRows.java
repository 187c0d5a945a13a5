package org.rcnn4j.linalg;

/**
 * n feature vectors x_i of dimension d, read as the augmented vectors x̃_i = [x_i, B] of a linear
 * SVM with a bias feature of value B (liblinear's {@code -B}); B = 0 leaves the last weight at 0, a
 * model without bias. Two layouts, one flat row-major n×d array (an image's features as they come off
 * the network) or one array per row (a cache whose rows come and go), so that neither is copied into
 * the other. The weights w̃ (d + 1) are doubles: a float would lose the small dual steps that
 * C = 0.001 makes.
 */
abstract class FeatureRows {
    final int n;
    final int d;
    final double biasFeature;

    private FeatureRows(int n, int d, double biasFeature) {
        this.n = n;
        this.d = d;
        this.biasFeature = biasFeature;
    }

    /** Rows of a flat row-major n×d matrix, n = x.length / d. */
    static FeatureRows flat(float[] x, int d, double biasFeature) {
        if (d < 1 || x.length % d != 0) {
            throw new IllegalArgumentException("features: " + x.length + " values are not rows of dimension " + d);
        }
        return new FeatureRows(x.length / d, d, biasFeature) {
            @Override
            double dot(int i, double[] w) {
                return dotRow(x, i * d, d, w) + w[d] * biasFeature;
            }

            @Override
            void addScaled(int i, double a, double[] w) {
                int offset = i * d;
                for (int j = 0; j < d; j++) w[j] += a * x[offset + j];
                w[d] += a * biasFeature;
            }

            @Override
            double squaredNorm(int i) {
                return sumOfSquares(x, i * d, d) + biasFeature * biasFeature;
            }
        };
    }

    /** One array of length d per row. */
    static FeatureRows of(float[][] rows, int d, double biasFeature) {
        if (d < 1) throw new IllegalArgumentException("feature dimension " + d);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, expected " + d);
            }
        }
        return new FeatureRows(rows.length, d, biasFeature) {
            @Override
            double dot(int i, double[] w) {
                return dotRow(rows[i], 0, d, w) + w[d] * biasFeature;
            }

            @Override
            void addScaled(int i, double a, double[] w) {
                float[] row = rows[i];
                for (int j = 0; j < d; j++) w[j] += a * row[j];
                w[d] += a * biasFeature;
            }

            @Override
            double squaredNorm(int i) {
                return sumOfSquares(rows[i], 0, d) + biasFeature * biasFeature;
            }
        };
    }

    /** w̃·x̃_i. */
    abstract double dot(int i, double[] w);

    /** w̃ += a·x̃_i. */
    abstract void addScaled(int i, double a, double[] w);

    /** ‖x̃_i‖². */
    abstract double squaredNorm(int i);

    /** Four partial sums: breaks the add chain's latency (the solver's time is all in these dots). */
    static double dotRow(float[] x, int offset, int d, double[] w) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < d; j += 4) {
            s0 += x[offset + j] * w[j];
            s1 += x[offset + j + 1] * w[j + 1];
            s2 += x[offset + j + 2] * w[j + 2];
            s3 += x[offset + j + 3] * w[j + 3];
        }
        for (; j < d; j++) s0 += x[offset + j] * w[j];
        return (s0 + s1) + (s2 + s3);
    }

    private static double sumOfSquares(float[] x, int offset, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) s += (double) x[offset + j] * x[offset + j];
        return s;
    }
}
