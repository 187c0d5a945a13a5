package org.rcnn4j.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code COCOeval.summarize()} for bbox: each of the 12 numbers is the mean of the valid (not -1)
 * cells of the accumulated precision or recall over the IoU thresholds (or one of them), recall
 * points and categories, in one area range and one detections-per-image limit; -1 when no cell is
 * valid.
 */
final class CocoSummary {
    private CocoSummary() {}

    /**
     * @param classNames K class names in class order
     * @param precision  [K][A][M][T][R], -1 in cells without ground truth
     * @param recall     [K][A][M][T], likewise
     */
    static CocoEvaluation summarize(List<String> classNames, double[][][][][] precision, double[][][][] recall) {
        int all = CocoParams.AREA_ALL;
        int m100 = CocoParams.M - 1;
        double[] stats = {
            meanPrecision(precision, -1, all, m100),
            meanPrecision(precision, CocoParams.IOU_50, all, m100),
            meanPrecision(precision, CocoParams.IOU_75, all, m100),
            meanPrecision(precision, -1, CocoParams.AREA_SMALL, m100),
            meanPrecision(precision, -1, CocoParams.AREA_MEDIUM, m100),
            meanPrecision(precision, -1, CocoParams.AREA_LARGE, m100),
            meanRecall(recall, all, 0),
            meanRecall(recall, all, 1),
            meanRecall(recall, all, m100),
            meanRecall(recall, CocoParams.AREA_SMALL, m100),
            meanRecall(recall, CocoParams.AREA_MEDIUM, m100),
            meanRecall(recall, CocoParams.AREA_LARGE, m100),
        };
        Map<String, Double> classAp = new LinkedHashMap<>();
        Map<String, PrecisionRecall> curves = new LinkedHashMap<>();
        for (int k = 0; k < classNames.size(); k++) {
            double[][][][][] one = {precision[k]};
            String name = classNames.get(k);
            classAp.put(name, meanPrecision(one, -1, all, m100));
            curves.put(name, curve(name, precision[k][all][m100][CocoParams.IOU_50]));
        }
        return new CocoEvaluation(stats, classAp, curves);
    }

    /** Mean valid precision over categories, recall points and IoU thresholds ({@code t = -1}: all). */
    private static double meanPrecision(double[][][][][] precision, int t, int a, int m) {
        double sum = 0;
        long count = 0;
        for (double[][][][] byClass : precision) {
            for (int ti = 0; ti < CocoParams.T; ti++) {
                if (t >= 0 && ti != t) continue;
                for (double v : byClass[a][m][ti]) {
                    if (v > -1) {
                        sum += v;
                        count++;
                    }
                }
            }
        }
        return count == 0 ? -1 : sum / count;
    }

    /** Mean valid recall over categories and all IoU thresholds. */
    private static double meanRecall(double[][][][] recall, int a, int m) {
        double sum = 0;
        long count = 0;
        for (double[][][] byClass : recall) {
            for (double v : byClass[a][m]) {
                if (v > -1) {
                    sum += v;
                    count++;
                }
            }
        }
        return count == 0 ? -1 : sum / count;
    }

    /** The curve at one IoU threshold: 101 recall points; empty with AP -1 without ground truth. */
    private static PrecisionRecall curve(String name, double[] precisionAtRecall) {
        if (precisionAtRecall[0] <= -1) {
            return new PrecisionRecall(name, new double[0], new double[0], -1);
        }
        double sum = 0;
        for (double v : precisionAtRecall) sum += v;
        return new PrecisionRecall(name, CocoParams.RECALL_THRESHOLDS.clone(), precisionAtRecall.clone(),
                sum / precisionAtRecall.length);
    }
}
