package org.rcnn4j.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** How the region stage pools each RoI, as {@code roi.pooler} names it in a config. */
public enum PoolerType implements ConfigChoice {
    /** RoI max pooling (Fast R-CNN §2.1, {@code RoIPool}): each bin the maximum of the cells it covers. */
    ROI_POOL("roi-pool"),
    /** RoIAlign (Mask R-CNN §3, {@code RoIAlign}): bilinear samples at exact positions, averaged per bin. */
    ROI_ALIGN("roi-align");

    private final String json;

    PoolerType(String json) {
        this.json = json;
    }

    @JsonValue
    @Override
    public String json() {
        return json;
    }

    /**
     * The type called {@code name}; null when {@code name} is null.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static PoolerType of(String name) {
        if (name == null) return null;
        return ConfigChoice.of(values(), name);
    }

    /** The accepted names. */
    public static List<String> names() {
        return ConfigChoice.names(values());
    }

    @Override
    public String toString() {
        return json;
    }
}
