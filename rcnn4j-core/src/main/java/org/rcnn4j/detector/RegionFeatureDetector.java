package org.rcnn4j.detector;

import ai.djl.training.ParameterStore;
import java.io.DataOutputStream;
import java.io.IOException;
import org.rcnn4j.config.SvmDetectorConfig;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.roiheads.RcnnPredictor;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/**
 * A detector whose class SVMs and box regressors train on cached region features once its network
 * is fine-tuned: R-CNN ({@link Rcnn}: each region warped and run through the whole CNN) and
 * SPP-net ({@link SppNet}: the conv maps once per image, each region pyramid-pooled from them).
 * The training stages that cache features, train the SVMs and fit the regressors
 * ({@code org.rcnn4j.training}) work on either through this view.
 */
public interface RegionFeatureDetector extends DetectorModel {
    @Override
    SvmDetectorConfig config();

    /** The softmax classifier, the SVMs and the box regressors. */
    RcnnPredictor predictor();

    /**
     * The features of regions of one image as the SVMs and regressors train on them: fc7, and the
     * pooled convolutional features (R-CNN's pool5, SPP-net's pyramid). No gradient is recorded.
     *
     * @param image     the decoded original image
     * @param record    its record
     * @param boxes     R regions, x1 y1 x2 y2 in original-image pixels
     * @param normalize the model's input normalisation
     */
    RegionFeatures regionFeatures(ParameterStore ps, RgbImage image, ImageRecord record, float[] boxes, Normalize normalize);

    /** While the SVMs score regions: margins, 0 the SVMs' boundary. */
    @Override
    default boolean scoresAreMargins() {
        return predictor().scoring() == RcnnPredictor.Classifier.SVM;
    }

    /** The length of a region's pooled convolutional features (the regressors' input). */
    int pool5Size();

    /** Writes the parameters the region features depend on: what a feature cache is fingerprinted with. */
    void saveFeatureWeights(DataOutputStream out) throws IOException;
}
