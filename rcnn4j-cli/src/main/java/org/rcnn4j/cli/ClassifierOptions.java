package org.rcnn4j.cli;

import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.RegionFeatureDetector;
import org.rcnn4j.modeling.roiheads.RcnnPredictor;
import picocli.CommandLine.Option;

/**
 * {@code --classifier} and {@code --no-box-regression}: which of an R-CNN or SPP-net model's classifiers scores
 * the regions, the SVMs (the detector as the paper tests it) or the fine-tuned softmax (Appendix B),
 * and whether its box regressors move the boxes (Table 2's "BB" rows).
 */
final class ClassifierOptions {
    @Option(names = "--classifier", paramLabel = "svm|softmax",
            description = "For an r-cnn or spp-net model: score regions by its class SVMs (default; scores are margins) or by the "
                    + "fine-tuned network's softmax (probabilities).")
    String classifier;

    @Option(names = "--no-box-regression", description = "For an r-cnn or spp-net model: keep the proposals' boxes, without its box regressors.")
    boolean noBoxRegression;

    /** Sets the chosen scoring on {@code detector}'s model; nothing when neither option was given. */
    void apply(Detector detector) {
        if (classifier == null && !noBoxRegression) return;
        String option = classifier != null ? "--classifier" : "--no-box-regression";
        if (!(detector.model() instanceof RegionFeatureDetector model)) {
            throw new UsageException(option + ": only r-cnn and spp-net models have SVMs and box regressors; this one is "
                    + detector.model().kind());
        }
        RcnnPredictor.Classifier scores = switch (classifier == null ? "svm" : classifier) {
            case "svm" -> RcnnPredictor.Classifier.SVM;
            case "softmax" -> RcnnPredictor.Classifier.SOFTMAX;
            default -> throw new UsageException("--classifier: expected svm or softmax, got '" + classifier + "'");
        };
        RcnnPredictor predictor = model.predictor();
        if (scores == RcnnPredictor.Classifier.SVM && !predictor.svms().trained()) {
            throw new UsageException("--classifier svm: this model's SVMs are not trained");
        }
        predictor.use(scores, !noBoxRegression);
    }
}
