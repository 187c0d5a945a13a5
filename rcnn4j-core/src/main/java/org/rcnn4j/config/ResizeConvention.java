package org.rcnn4j.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * How an image is brought to the network's scale at test time, as {@code input.resize} names it. The
 * two conventions differ by a fraction of a pixel in size and by rounding in value; a model imported
 * from torchvision needs torchvision's to reproduce its detections.
 */
public enum ResizeConvention implements ConfigChoice {
    /**
     * The 8-bit image is resized (bilinear, 11-bit fixed-point weights, as OpenCV's {@code resize}
     * that py-faster-rcnn calls) to {@code round(side × scale)}, then normalised. rcnn4j's own models.
     */
    OPENCV("opencv"),
    /**
     * torchvision's {@code GeneralizedRCNNTransform}: the image is normalised first, then resized in
     * float ({@code interpolate(..., mode="bilinear", align_corners=False)}, no antialiasing) to
     * {@code floor(side × scale)}, with the scale computed in float32.
     */
    TORCHVISION("torchvision");

    private final String json;

    ResizeConvention(String json) {
        this.json = json;
    }

    @JsonValue
    @Override
    public String json() {
        return json;
    }

    /**
     * The convention called {@code name}; null when {@code name} is null.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static ResizeConvention of(String name) {
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
