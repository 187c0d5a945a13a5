package org.rcnn4j.config;

import java.util.Arrays;
import java.util.List;

/** A closed choice of a config (an enum) with the name it has in JSON and on the command line. */
interface ConfigChoice {
    /** The name in configs and on the command line. */
    String json();

    /**
     * The value of {@code values} called {@code name}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static <E extends ConfigChoice> E of(E[] values, String name) {
        for (E v : values) if (v.json().equals(name)) return v;
        throw new IllegalArgumentException("expected one of " + names(values) + ", got '" + name + "'");
    }

    /** The accepted names, in order. */
    static List<String> names(ConfigChoice[] values) {
        return Arrays.stream(values).map(ConfigChoice::json).toList();
    }
}
