package org.rcnn4j.config;

/**
 * The class-specific bounding-box regressors of R-CNN and SPP-net (R-CNN Appendix C;
 * {@code rcnn_train_bbox_regressor.m}): ridge regression from a region's pooled convolutional
 * features to its box targets. Serialised as {@code boxRegression}.
 *
 * @param lambda the ridge penalty λ (R-CNN 1000, SPP-net 4000)
 * @param minIoU training pairs are regions of IoU above this with their best ground-truth box (R-CNN
 *               0.6, SPP-net 0.5)
 */
public record BoxRegressionConfig(double lambda, float minIoU) {
    /** R-CNN's: λ = 1000, IoU &gt; 0.6. */
    public static BoxRegressionConfig rcnn() {
        return new BoxRegressionConfig(1000, 0.6f);
    }

    /** SPP-net's: λ = 4000, IoU &gt; 0.5. */
    public static BoxRegressionConfig sppNet() {
        return new BoxRegressionConfig(4000, 0.5f);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code boxRegression}). */
    public void validate(String prefix) {
        ConfigException.require(lambda > 0 && Double.isFinite(lambda), ConfigException.path(prefix, "lambda"),
                "must be positive, got " + lambda);
        ConfigException.inRange(minIoU, 0, 1, true, prefix, "minIoU");
    }
}
