package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.FeatureSpec;

/** One shared map, the backbone's output (stride 16 for the C4 backbones): Fast and Faster R-CNN's features. */
final class SingleMapFeatures implements FeatureStage {
    private final Backbone backbone;

    SingleMapFeatures(Backbone backbone) {
        this.backbone = backbone;
    }

    @Override
    public Backbone backbone() {
        return backbone;
    }

    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        return m;
    }

    @Override
    public List<FeatureSpec> outputs() {
        return List.of(backbone.output());
    }

    @Override
    public List<NDArray> forward(ParameterStore ps, NDArray images, boolean training) {
        return List.of(backbone.features(ps, images, training));
    }

    @Override
    public NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        return new NDList(backbone.features(ps, images, training));
    }
}
