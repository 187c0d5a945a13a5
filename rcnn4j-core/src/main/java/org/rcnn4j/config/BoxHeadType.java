package org.rcnn4j.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** The region stage's box head, as {@code roi.head} names it in a config. */
public enum BoxHeadType implements ConfigChoice {
    /** fc6 and fc7 ({@code TwoMlpHead}): Fast R-CNN's VGG16 head, FPN's 2-fc head. */
    FC("fc"),
    /** The backbone's conv5_x stage on each pooled RoI ({@code C5Head}, He et al. 2016, Appendix A). */
    C5("c5");

    private final String json;

    BoxHeadType(String json) {
        this.json = json;
    }

    @JsonValue
    @Override
    public String json() {
        return json;
    }

    /**
     * The type called {@code name}; null reads as {@link #FC} (configs written before the field existed).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static BoxHeadType of(String name) {
        if (name == null) return FC;
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
