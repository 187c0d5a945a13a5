package org.rcnn4j.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a Pascal VOC evaluation: one {@link PrecisionRecall} per class, in the dataset's
 * class order, and their mean.
 *
 * @param metric   the AP rule used
 * @param mAP      mean of the per-class APs over the classes that have ground truth (at least one
 *                 non-difficult object); -1 when no class has any
 * @param perClass one curve per class, in class order; a class without ground truth has AP -1
 *                 and an empty curve
 */
public record VocEvaluation(VocMetric metric, double mAP, List<PrecisionRecall> perClass) {
    public VocEvaluation {
        perClass = List.copyOf(perClass);
    }

    /** AP by class name, in class order; -1 for a class without ground truth. */
    public Map<String, Double> apByClass() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (PrecisionRecall pr : perClass) m.put(pr.className(), pr.ap());
        return Collections.unmodifiableMap(m);
    }

    /** The curve of the class named {@code className}, if the dataset has that class. */
    public Optional<PrecisionRecall> curve(String className) {
        for (PrecisionRecall pr : perClass) {
            if (pr.className().equals(className)) return Optional.of(pr);
        }
        return Optional.empty();
    }
}
