package org.rcnn4j.detector;

/**
 * The two features R-CNN and SPP-net keep of each region (R-CNN §2.3 and Appendix C): the last
 * fully connected layer's output (fc7), which the class SVMs score, and the pooled convolutional
 * features (pool5), which the box regressors read. Unscaled, row-major.
 *
 * @param count R, regions
 * @param fc7   R×{@code fc7Size}
 * @param pool5 R×{@code pool5Size}
 */
public record RegionFeatures(int count, float[] fc7, int fc7Size, float[] pool5, int pool5Size) {
    public RegionFeatures {
        if (fc7.length != (long) count * fc7Size || pool5.length != (long) count * pool5Size) {
            throw new IllegalArgumentException("feature arrays do not hold " + count + " rows");
        }
    }

    /** The pool5 rows at {@code rows}, in that order. */
    public float[] pool5Rows(int[] rows) {
        float[] out = new float[rows.length * pool5Size];
        for (int i = 0; i < rows.length; i++) System.arraycopy(pool5, rows[i] * pool5Size, out, i * pool5Size, pool5Size);
        return out;
    }
}
