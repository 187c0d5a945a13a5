package org.rcnn4j.config;

/**
 * A config of a detector that scores regions with class-specific linear SVMs and moves them with
 * ridge box regressors, both trained on cached region features after the network is fine-tuned:
 * R-CNN (Girshick et al. 2014, §2.3, Appendix C) and SPP-net (He et al. 2014, §4.1).
 */
public interface SvmDetectorConfig extends RoiHeadConfig {
    /** The best this many proposals of each image are used, in training and at test. */
    int maxProposals();

    /** The class SVMs. */
    SvmConfig svm();

    /** The same with other SVM settings. */
    SvmDetectorConfig withSvm(SvmConfig svm);

    /** The box regressors. */
    BoxRegressionConfig boxRegression();
}
