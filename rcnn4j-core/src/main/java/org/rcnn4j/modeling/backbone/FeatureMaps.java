package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named feature maps of one backbone pass, in stage order: each an {@code N x C x H' x W'} array
 * with the channels and stride its {@link FeatureSpec} states.
 *
 * <p>The arrays belong to the NDManager of the input images (closed with it); this object only
 * names them, so that a neck or a RoI pooler asks for {@code "C4"} rather than for list index 2.
 */
public final class FeatureMaps {
    private final Map<String, FeatureSpec> specs = new LinkedHashMap<>();
    private final Map<String, NDArray> maps = new LinkedHashMap<>();

    FeatureMaps() {}

    void put(FeatureSpec spec, NDArray map) {
        specs.put(spec.name(), spec);
        maps.put(spec.name(), map);
    }

    /**
     * The map of stage {@code name}.
     *
     * @throws IllegalArgumentException naming the stages present when {@code name} is not one
     */
    public NDArray get(String name) {
        NDArray map = maps.get(name);
        if (map == null) throw new IllegalArgumentException("no feature map " + name + "; have " + maps.keySet());
        return map;
    }

    /** The spec (channels, stride) of stage {@code name}. */
    public FeatureSpec spec(String name) {
        get(name);
        return specs.get(name);
    }

    /** The specs of the maps held, in stage order (shallowest first). */
    public List<FeatureSpec> specs() {
        return Collections.unmodifiableList(new ArrayList<>(specs.values()));
    }

    /** Number of maps held. */
    public int size() {
        return maps.size();
    }
}
