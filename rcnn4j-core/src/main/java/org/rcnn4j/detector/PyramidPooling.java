package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.ImagePyramid;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.NativeFloats;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.poolers.PyramidScaleMapper;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Region features of one image from an image pyramid (SPP-net §4.1 "multi-scale feature
 * extraction", Fast R-CNN §5.2): the image resized to each scale of the config's
 * {@link ImagePyramid}, the feature stage run once per scale, each window pooled from the one scale
 * that {@link PyramidScaleMapper} assigns it, one pooling call per scale, not per window. With one
 * scale this is ordinary single-scale pooling. No gradient is recorded unless the caller records.
 */
final class PyramidPooling {
    private PyramidPooling() {}

    /**
     * Pooled windows, grouped by scale.
     *
     * @param features (R, C, h, w): row i is window {@code order[i]} of the caller's list
     * @param rois     the windows in that order, original-image pixels
     * @param order    a permutation of 0..R-1
     */
    record Pooled(NDArray features, float[] rois, int[] order) {}

    /**
     * @param rois R windows in original-image pixels, R ≥ 1
     * @param sub  the request's manager: the pyramid's inputs and maps live in it
     */
    static Pooled pool(TwoStageDetector model, ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record,
            float[] rois, Normalize normalize, StageTimes times) {
        DetectorConfig config = model.config();
        ImagePyramid pyramid = config.testPyramid();
        int[] scales = pyramid.testScales();
        List<List<NDArray>> maps = new java.util.ArrayList<>(scales.length);
        double[] factors = new double[scales.length];
        for (int k = 0; k < scales.length; k++) {
            PreparedImage prepared = PreparedImage.forInference(image, record, null, scales[k], config.input().maxSize());
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), normalize, 1);
            factors[k] = prepared.image().scale();
            NDArray x = NativeFloats.input(sub, batch);
            times.lap("preprocess");
            maps.add(model.features().forward(ps, x, false));
            times.lap("backbone");
        }
        int[] level = new PyramidScaleMapper(pyramid.canonicalSide()).assign(rois, factors);
        RegionPooler pooler = model.roiHeads().pooler();
        NDList pooled = new NDList(scales.length);
        float[] ordered = new float[rois.length];
        int[] order = new int[rois.length / 4];
        int done = 0;
        for (int k = 0; k < scales.length; k++) {
            int[] at = indicesOf(level, k);
            if (at.length == 0) continue;
            float[] original = Boxes.select(rois, at);
            System.arraycopy(original, 0, ordered, 4 * done, original.length);
            System.arraycopy(at, 0, order, done, at.length);
            done += at.length;
            float[] scaled = new float[original.length];
            for (int i = 0; i < scaled.length; i++) scaled[i] = (float) (original[i] * factors[k]);
            pooled.add(pooler.pool(maps.get(k), 0, scaled));
        }
        NDArray features = pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 0);
        times.lap("region_features");
        return new Pooled(features, ordered, order);
    }

    private static int[] indicesOf(int[] level, int k) {
        int n = 0;
        for (int l : level) if (l == k) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < level.length; i++) if (level[i] == k) out[j++] = i;
        return out;
    }
}
