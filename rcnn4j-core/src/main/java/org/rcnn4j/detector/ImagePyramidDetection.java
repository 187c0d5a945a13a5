package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.ImagePyramid;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.poolers.PyramidScaleMapper;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Testing on an image pyramid (SPP-net's multi-scale testing, Fast R-CNN §5.2), for any detector
 * whose proposals are given: the image resized to each test scale of the config's
 * {@link ImagePyramid}, the feature stage run once per scale, each RoI pooled from the one scale
 * that {@link PyramidScaleMapper} assigns it (one pooling call per scale, not per RoI), the box head
 * and predictor run once on all RoIs, post-processed in original-image pixels. With one test scale
 * this is ordinary single-scale testing.
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
        DetectorConfig config = model.config();
        ImagePyramid pyramid = config.testPyramid();
        int[] scales = pyramid.testScales();
        List<List<NDArray>> maps = new java.util.ArrayList<>(scales.length);
        double[] factors = new double[scales.length];
        for (int k = 0; k < scales.length; k++) {
            PreparedImage prepared = PreparedImage.forInference(image, record, null, scales[k], config.input().maxSize());
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), normalize, 1);
            factors[k] = prepared.image().scale();
            NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
            times.lap("preprocess");
            maps.add(model.features().forward(ps, x, false));
            times.lap("backbone");
        }
        int[] level = new PyramidScaleMapper(pyramid.canonicalSide()).assign(rois, factors);
        RegionPooler pooler = model.roiHeads().pooler();
        NDList pooled = new NDList(scales.length);
        float[] ordered = new float[rois.length];
        int done = 0;
        for (int k = 0; k < scales.length; k++) {
            int[] at = indicesOf(level, k);
            if (at.length == 0) continue;
            float[] original = Boxes.select(rois, at);
            System.arraycopy(original, 0, ordered, 4 * done, original.length);
            done += at.length;
            float[] scaled = new float[original.length];
            for (int i = 0; i < scaled.length; i++) scaled[i] = (float) (original[i] * factors[k]);
            pooled.add(pooler.pool(maps.get(k), 0, scaled));
        }
        NDArray features = pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 0);
        times.lap("region_features");
        // The RoIs go to post-processing in original pixels (scale 1): decoding is scale-free.
        BatchImage frame = BatchImage.atOriginalSize(record, image.width(), image.height());
        return model.roiHeads().detectPooled(ps, features, List.of(ordered), List.of(frame), times).get(0);
    }

    private static int[] indicesOf(int[] level, int k) {
        int n = 0;
        for (int l : level) if (l == k) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < level.length; i++) if (level[i] == k) out[j++] = i;
        return out;
    }
}
