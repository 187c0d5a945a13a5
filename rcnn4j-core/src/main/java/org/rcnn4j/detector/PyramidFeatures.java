package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.FeatureMaps;
import org.rcnn4j.modeling.backbone.FeatureSpec;
import org.rcnn4j.modeling.neck.FeaturePyramid;

/**
 * FPN's features (Lin et al. 2017, §3): the backbone's bottom-up C2..C5, then the
 * {@link FeaturePyramid}'s top-down pathway and lateral connections, giving P2..P6.
 */
final class PyramidFeatures implements FeatureStage {
    private final Backbone backbone;
    private final FeaturePyramid pyramid;

    PyramidFeatures(Backbone backbone, FeaturePyramid pyramid) {
        this.backbone = backbone;
        this.pyramid = pyramid;
    }

    @Override
    public Backbone backbone() {
        return backbone;
    }

    FeaturePyramid pyramid() {
        return pyramid;
    }

    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("fpn", pyramid);
        return m;
    }

    @Override
    public List<FeatureSpec> outputs() {
        return pyramid.outputSpecs();
    }

    /** P2..P6, each (N, d, ⌈H/s⌉, ⌈W/s⌉) for s = 4, 8, 16, 32, 64. */
    @Override
    public List<NDArray> forward(ParameterStore ps, NDArray images, boolean training) {
        return pyramid.forward(ps, backboneMaps(ps, images, training), training);
    }

    /** C2..C5, the bottom-up pathway's maps the pyramid is built from. */
    @Override
    public NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        FeatureMaps c = backbone.forwardStages(ps, images, training, Backbone.PYRAMID);
        NDList maps = new NDList();
        for (String name : Backbone.PYRAMID) maps.add(c.get(name));
        return maps;
    }
}
