package org.rcnn4j.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The detectors this build can train and load, by name. */
public final class DetectorKinds {
    private static final List<DetectorKind> ALL = List.of(Rcnn.KIND, SppNet.KIND, FastRcnn.KIND, FasterRcnn.KIND, Fpn.KIND);

    private DetectorKinds() {}

    /** Every registered kind, in the lineage's order. */
    public static List<DetectorKind> all() {
        return ALL;
    }

    /** The names of {@link #all()}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (DetectorKind k : ALL) names.add(k.name());
        return names;
    }

    /** The kind called {@code name}, if this build has it. */
    public static Optional<DetectorKind> find(String name) {
        for (DetectorKind k : ALL) if (k.name().equals(name)) return Optional.of(k);
        return Optional.empty();
    }
}
