package org.rcnn4j.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@link CocoEvaluator#evaluate}: the 12 numbers of the COCO API's
 * {@code COCOeval.summarize()} for bbox, per-class AP and per-class precision/recall curves.
 *
 * <p>All values are fractions in [0, 1], or -1 where a cell has no ground truth (the API's
 * convention: e.g. {@link #apLarge()} on a dataset without large objects). "AP" is precision
 * averaged over the 101 recall points, the IoU thresholds 0.50:0.05:0.95 and the categories that
 * have ground truth; "AR" is the recall reached, averaged over the IoU thresholds and categories.
 */
public final class CocoEvaluation {
    /** Names of {@link #stats()} in order, as the project's {@code eval --json} spells them. */
    public static final List<String> STAT_NAMES = List.of(
            "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl");

    private final double[] stats;
    private final Map<String, Double> classAp;
    private final Map<String, PrecisionRecall> curves;

    CocoEvaluation(double[] stats, Map<String, Double> classAp, Map<String, PrecisionRecall> curves) {
        if (stats.length != STAT_NAMES.size()) throw new IllegalArgumentException("12 stats expected");
        this.stats = stats.clone();
        this.classAp = Collections.unmodifiableMap(new LinkedHashMap<>(classAp));
        this.curves = Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }

    /** The 12 numbers in the API's order: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl. */
    public double[] stats() {
        return stats.clone();
    }

    /** {@link #stats()} keyed by {@link #STAT_NAMES}, in that order. */
    public Map<String, Double> statsByName() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < stats.length; i++) m.put(STAT_NAMES.get(i), stats[i]);
        return m;
    }

    /** AP at IoU 0.50:0.95, all areas, 100 detections per image: COCO's primary metric. */
    public double ap() {
        return stats[0];
    }

    /** AP at IoU 0.50 (close to the PASCAL VOC metric), all areas, 100 detections. */
    public double ap50() {
        return stats[1];
    }

    /** AP at IoU 0.75, all areas, 100 detections. */
    public double ap75() {
        return stats[2];
    }

    /** AP at IoU 0.50:0.95 for small objects (area {@code <= 32²}). */
    public double apSmall() {
        return stats[3];
    }

    /** AP at IoU 0.50:0.95 for medium objects (area {@code 32²..96²}). */
    public double apMedium() {
        return stats[4];
    }

    /** AP at IoU 0.50:0.95 for large objects (area {@code >= 96²}). */
    public double apLarge() {
        return stats[5];
    }

    /** AR at IoU 0.50:0.95 given 1 detection per image and category. */
    public double ar1() {
        return stats[6];
    }

    /** AR given 10 detections per image and category. */
    public double ar10() {
        return stats[7];
    }

    /** AR given 100 detections per image and category. */
    public double ar100() {
        return stats[8];
    }

    /** AR (100 detections) for small objects. */
    public double arSmall() {
        return stats[9];
    }

    /** AR (100 detections) for medium objects. */
    public double arMedium() {
        return stats[10];
    }

    /** AR (100 detections) for large objects. */
    public double arLarge() {
        return stats[11];
    }

    /** AP at IoU 0.50:0.95 (all areas, 100 detections) of each class, in class order; -1 without ground truth. */
    public Map<String, Double> classAp() {
        return classAp;
    }

    /**
     * AP at IoU 0.50:0.95 of one class.
     *
     * @throws IllegalArgumentException when the dataset has no class of that name
     */
    public double classAp(String className) {
        Double v = classAp.get(className);
        if (v == null) throw new IllegalArgumentException("no class named " + className);
        return v;
    }

    /**
     * Each class's curve at IoU 0.50, all areas, 100 detections: precision (the monotone envelope)
     * at the 101 recall points 0, 0.01, ..., 1, and its mean as {@link PrecisionRecall#ap()} (the
     * class's AP50). A class without ground truth has empty arrays and AP -1.
     */
    public Map<String, PrecisionRecall> curves() {
        return curves;
    }

    /**
     * @throws IllegalArgumentException when the dataset has no class of that name
     */
    public PrecisionRecall curve(String className) {
        PrecisionRecall c = curves.get(className);
        if (c == null) throw new IllegalArgumentException("no class named " + className);
        return c;
    }

    /** The 12 numbers in the layout of the API's {@code summarize()} printout, one per line. */
    public String summary() {
        String[] what = {
            "Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
            "Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]",
            "Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]",
            "Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
            "Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
            "Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
            "Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < what.length; i++) {
            sb.append(String.format(Locale.ROOT, " Average %s = %.3f%n", what[i], stats[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "CocoEvaluation" + statsByName();
    }
}
