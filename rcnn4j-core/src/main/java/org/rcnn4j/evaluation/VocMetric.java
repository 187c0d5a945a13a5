package org.rcnn4j.evaluation;

import java.util.Locale;

/**
 * The two Pascal VOC ways to turn a class's precision/recall curve into an average precision, as
 * py-faster-rcnn's {@code lib/datasets/voc_eval.py} ({@code voc_ap}) computes them.
 *
 * <p>The curve has one point per detection, in descending score order: {@code recall[d]} and
 * {@code precision[d]} after the first {@code d + 1} detections.
 */
public enum VocMetric {
    /**
     * VOC2007's 11-point interpolated AP (Everingham et al., IJCV 2010, section 4.2): the mean over
     * recall thresholds t = 0, 0.1, ..., 1 of the highest precision at recall ≥ t (0 where no point
     * reaches t). The thresholds are {@code i * 0.1} in double arithmetic, as numpy's
     * {@code arange(0, 1.1, 0.1)} makes them, so e.g. the third is 0.30000000000000004 and a recall
     * of exactly 3/10 does not reach it, exactly as in the reference.
     */
    VOC07("voc07"),
    /**
     * VOC2010+: the area under the precision envelope (precision made non-increasing in recall by
     * taking the maximum to its right), with sentinels at recall 0 (precision 0) and recall 1
     * (precision 0), summed over the recall steps.
     */
    VOC("voc");

    private final String id;

    VocMetric(String id) {
        this.id = id;
    }

    /** The metric's name on the command line and in JSON output: {@code voc07} or {@code voc}. */
    public String id() {
        return id;
    }

    /**
     * Parses {@code voc07} or {@code voc} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static VocMetric parse(String name) {
        for (VocMetric m : values()) {
            if (m.id.equals(name.toLowerCase(Locale.ROOT))) return m;
        }
        throw new IllegalArgumentException("unknown VOC metric '" + name + "' (expected voc07 or voc)");
    }

    /**
     * Average precision of one class's curve under this metric.
     *
     * @param recall    recall after each detection (length D, non-decreasing); may be empty
     * @param precision precision after each detection (length D)
     * @return AP in [0, 1]; 0 for an empty curve
     */
    public double averagePrecision(double[] recall, double[] precision) {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException("recall and precision differ in length");
        }
        return this == VOC07 ? elevenPoint(recall, precision) : envelopeArea(recall, precision);
    }

    private static double elevenPoint(double[] recall, double[] precision) {
        double ap = 0;
        for (int i = 0; i <= 10; i++) {
            double t = i * 0.1;
            double p = 0;
            for (int d = 0; d < recall.length; d++) {
                if (recall[d] >= t && precision[d] > p) p = precision[d];
            }
            ap += p / 11.0;
        }
        return ap;
    }

    private static double envelopeArea(double[] recall, double[] precision) {
        int n = recall.length + 2;
        double[] r = new double[n];
        double[] p = new double[n];
        System.arraycopy(recall, 0, r, 1, recall.length);
        System.arraycopy(precision, 0, p, 1, precision.length);
        r[n - 1] = 1.0;
        for (int i = n - 1; i > 0; i--) {
            p[i - 1] = Math.max(p[i - 1], p[i]);
        }
        double ap = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (r[i + 1] != r[i]) ap += (r[i + 1] - r[i]) * p[i + 1];
        }
        return ap;
    }
}
