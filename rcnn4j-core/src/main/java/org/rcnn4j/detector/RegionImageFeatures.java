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
 * R-CNN's feature stage: none. The "map" the region stage reads is the normalised image itself
 * (3 channels, stride 1), from which each proposal is warped and then run through the whole CNN
 * ({@link org.rcnn4j.modeling.roiheads.WarpedRegionHead}); the convolutional layers run once per
 * region, not once per image, which is what SPP-net and Fast R-CNN later change. The backbone is
 * the region head's, named here so that the model still reports it; its weights are saved with
 * the head.
 */
final class RegionImageFeatures implements FeatureStage {
    private final Backbone backbone;

    /** @param backbone the region head's convolutional layers */
    RegionImageFeatures(Backbone backbone) {
        this.backbone = backbone;
    }

    @Override
    public Backbone backbone() {
        return backbone;
    }

    /** None: the backbone is saved with the region head. */
    @Override
    public Map<String, Block> blocks() {
        return Map.of();
    }

    @Override
    public List<FeatureSpec> outputs() {
        return List.of(new FeatureSpec("image", 3, 1));
    }

    /** The images themselves. */
    @Override
    public List<NDArray> forward(ParameterStore ps, NDArray images, boolean training) {
        return List.of(images);
    }

    @Override
    public NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        return new NDList(backbone.features(ps, images, training));
    }
}
