package org.rcnn4j.detector;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Testing on an image pyramid (SPP-net's multi-scale testing, Fast R-CNN §5.2), for any detector
 * whose proposals are given: each RoI pooled from the one scale of the config's image pyramid that
 * suits it ({@link PyramidPooling}), the box head and predictor run once on all RoIs,
 * post-processed in original-image pixels. With one test scale this is ordinary single-scale
 * testing.
 */
final class ImagePyramidDetection {
    private final TwoStageDetector model;

    ImagePyramidDetection(TwoStageDetector model) {
        this.model = model;
    }

    /**
     * @param rois R RoIs in original-image pixels (clipped to it)
     * @param sub  the request's manager: the pyramid's inputs and maps live in it
     */
    ImageDetections detect(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record, float[] rois,
            Normalize normalize, StageTimes times) {
        if (rois.length == 0) return ImageDetections.EMPTY;
        PyramidPooling.Pooled pooled = PyramidPooling.pool(model, ps, sub, image, record, rois, normalize, times);
        // The RoIs go to post-processing in original pixels (scale 1): decoding is scale-free.
        BatchImage frame = BatchImage.atOriginalSize(record, image.width(), image.height());
        return model.roiHeads().detectPooled(ps, pooled.features(), List.of(pooled.rois()), List.of(frame), times).get(0);
    }
}
