package org.rcnn4j.evaluation;

/**
 * The fixed settings of the COCO API's bbox evaluation ({@code cocoeval.py}, {@code Params.setDetParams}).
 *
 * <p>Thresholds are built the way {@code numpy.linspace} builds them ({@code i * step + start}, the
 * last one set to {@code stop}), so that every comparison against them gives the same answer as
 * {@code COCOeval}: {@code 0.5 + 8 * 0.05} is {@code 0.8999999999999999} there and here.
 */
final class CocoParams {
    /** IoU thresholds 0.50:0.05:0.95 (T = 10). */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    /** Recall points 0:0.01:1 (R = 101) at which precision is sampled. */
    static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);
    /** Detections per image kept for each summary cell; the last one is also the matching cut. */
    static final int[] MAX_DETS = {1, 10, 100};
    /**
     * Area ranges in square pixels, both ends inclusive as in {@code COCOeval.evaluateImg}: all, small
     * ({@code <= 32²}), medium ({@code 32²..96²}), large ({@code >= 96²}). The upper end of "all"
     * is the API's {@code 1e5²}.
     */
    static final double[][] AREA_RANGES = {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};

    static final int AREA_ALL = 0;
    static final int AREA_SMALL = 1;
    static final int AREA_MEDIUM = 2;
    static final int AREA_LARGE = 3;
    /** Index of the IoU thresholds 0.50 and 0.75 in {@link #IOU_THRESHOLDS}. */
    static final int IOU_50 = 0;
    static final int IOU_75 = 5;

    static final int T = IOU_THRESHOLDS.length;
    static final int R = RECALL_THRESHOLDS.length;
    static final int A = AREA_RANGES.length;
    static final int M = MAX_DETS.length;

    private CocoParams() {}

    /** {@code numpy.linspace(start, stop, n)}, bit for bit. */
    static double[] linspace(double start, double stop, int n) {
        double step = (stop - start) / (n - 1);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i * step + start;
        }
        y[n - 1] = stop;
        return y;
    }

    static boolean outside(double area, int areaIndex) {
        return area < AREA_RANGES[areaIndex][0] || area > AREA_RANGES[areaIndex][1];
    }
}
