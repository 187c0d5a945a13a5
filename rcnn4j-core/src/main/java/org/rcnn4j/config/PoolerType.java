package org.rcnn4j.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/** How the region stage pools each RoI, as {@code roi.pooler} names it in a config. */
public enum PoolerType {
    /** RoI max pooling (Fast R-CNN §2.1, {@code RoIPool}): each bin the maximum of the cells it covers. */
    ROI_POOL("roi-pool"),
    /** RoIAlign (Mask R-CNN §3, {@code RoIAlign}): bilinear samples at exact positions, averaged per bin. */
    ROI_ALIGN("roi-align");

    private final String json;

    PoolerType(String json) {
        this.json = json;
    }

    /** The name in configs and on the command line. */
    @JsonValue
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
        for (PoolerType t : values()) if (t.json.equals(name)) return t;
        throw new IllegalArgumentException("expected one of " + names() + ", got '" + name + "'");
    }

    /** The accepted names. */
    public static List<String> names() {
        return Arrays.stream(values()).map(PoolerType::json).toList();
    }

    @Override
    public String toString() {
        return json;
    }
}
