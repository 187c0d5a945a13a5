package org.rcnn4j.config;

/**
 * The class-specific linear SVMs of R-CNN and SPP-net (R-CNN §2.3 and Appendix B;
 * {@code rcnn_train.m}), trained on the region features with hard negative mining. Serialised as
 * {@code svm}.
 *
 * @param c              C of the L2-regularised hinge-loss SVM (0.001)
 * @param positiveWeight positives' cost relative to negatives' (w1 = 2)
 * @param biasFeature    B, the constant feature that carries the bias (10)
 * @param negativeIoU    negatives are regions of IoU below this with every ground-truth box of
 *                       the class (0.3, chosen by a grid search over {0, 0.1, ..., 0.5}, §2.3)
 * @param featureNorm    the features are scaled so that their mean L2 norm is this (20)
 * @param images         training images whose features the SVMs and box regressors see, the first
 *                       of the training set in its order; 0 for all
 */
public record SvmConfig(double c, double positiveWeight, double biasFeature, float negativeIoU, double featureNorm,
        int images) {
    /** The paper's settings on every training image. */
    public static SvmConfig rcnn() {
        return new SvmConfig(0.001, 2, 10, 0.3f, 20, 0);
    }

    /** The same on the first {@code n} training images (0: all). */
    public SvmConfig withImages(int n) {
        return new SvmConfig(c, positiveWeight, biasFeature, negativeIoU, featureNorm, n);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code svm}). */
    public void validate(String prefix) {
        ConfigException.require(c > 0 && Double.isFinite(c), ConfigException.path(prefix, "c"), "must be positive, got " + c);
        ConfigException.require(positiveWeight > 0 && Double.isFinite(positiveWeight), ConfigException.path(prefix, "positiveWeight"),
                "must be positive, got " + positiveWeight);
        ConfigException.require(biasFeature >= 0 && Double.isFinite(biasFeature), ConfigException.path(prefix, "biasFeature"),
                "must be at least 0, got " + biasFeature);
        ConfigException.inRange(negativeIoU, 0, 1, false, prefix, "negativeIoU");
        ConfigException.require(featureNorm > 0 && Double.isFinite(featureNorm), ConfigException.path(prefix, "featureNorm"),
                "must be positive, got " + featureNorm);
        ConfigException.atLeast(images, 0, prefix, "images");
    }
}
