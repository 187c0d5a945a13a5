package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.FeatureSpec;

/**
 * The first stage of a two-stage detector: a batch's images in, the feature maps its proposal and
 * region stages share out. One map at one scale ({@link SingleMapFeatures}: Fast and Faster R-CNN,
 * SPP-net), or the pyramid P2..P6 ({@link PyramidFeatures}: FPN). The test-time image pyramid runs
 * a stage once per scale ({@link ImagePyramidDetection}).
 */
public interface FeatureStage {
    /** The convolutional layers the maps come from. */
    Backbone backbone();

    /** The stage's blocks by name, in the order their parameters are saved ({@code backbone}, then {@code fpn}). */
    Map<String, Block> blocks();

    /** Name, channels and stride of each map {@link #forward} returns, finest first. */
    List<FeatureSpec> outputs();

    /**
     * The maps of a batch.
     *
     * @param images (N, 3, H, W) normalised, padded input
     * @return the maps, each (N, C_l, ⌈H/s_l⌉, ⌈W/s_l⌉), finest first
     */
    List<NDArray> forward(ParameterStore ps, NDArray images, boolean training);

    /**
     * The backbone's own maps, without any neck: what {@code TrainingSpeed} times as the backbone's
     * cost against a whole training iteration.
     */
    NDList backboneMaps(ParameterStore ps, NDArray images, boolean training);
}
