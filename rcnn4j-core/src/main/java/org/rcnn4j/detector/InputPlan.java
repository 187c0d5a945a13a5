package org.rcnn4j.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;

/**
 * Image scale and anchor sizes chosen from a training set, so that a user who names only the data
 * gets a sound model. The paper's values (s = 600, anchors 128²–512²) fit PASCAL VOC, whose objects
 * are large at s = 600; on other data the same reasoning gives other numbers: scale the images so
 * that small objects span at least a couple of stride-16 cells, and lay anchors (powers of two) over
 * the object sizes that result.
 *
 * @param shortSide   image shorter side s in pixels
 * @param maxSize     cap on the longer side
 * @param anchorSizes anchor sides in pixels, ascending
 */
public record InputPlan(int shortSide, int maxSize, float[] anchorSizes) {
    /** Smallest object side (10th percentile of √(wh)) the plan aims to bring to this many pixels. */
    static final double SMALL_OBJECT_TARGET = 32;
    static final double MAX_UPSCALE = 4;
    static final int MAX_SHORT_SIDE = 800;
    /** Most anchor sizes per position (times 3 aspect ratios). */
    static final int MAX_SIZES = 6;

    /** A plan for {@code dataset}; the paper's values when it has no objects. */
    public static InputPlan of(Dataset dataset) {
        return of(dataset, SMALL_OBJECT_TARGET);
    }

    /**
     * A plan that brings the small objects (10th percentile of √(wh)) to {@code smallObjectTarget}
     * pixels: {@value #SMALL_OBJECT_TARGET} for a stride-16 map; a detector with finer maps (FPN's
     * stride-4 P2) needs less upscaling.
     */
    public static InputPlan of(Dataset dataset, double smallObjectTarget) {
        double[] shortSides = new double[dataset.images().size()];
        List<Double> objectSides = new ArrayList<>();
        int i = 0;
        for (ImageRecord im : dataset.images()) {
            shortSides[i++] = Math.min(im.width(), im.height());
            for (Annotation a : im.annotations()) {
                if (!a.crowd()) objectSides.add(Math.sqrt((double) a.width() * a.height()));
            }
        }
        if (objectSides.isEmpty() || shortSides.length == 0) {
            return new InputPlan(600, 1000, new float[] {128, 256, 512});
        }
        double imageSide = percentile(shortSides, 0.5);
        double[] sides = objectSides.stream().mapToDouble(Double::doubleValue).toArray();
        double upscale = Math.min(MAX_UPSCALE, Math.max(1, smallObjectTarget / percentile(sides, 0.1)));
        int shortSide = (int) Math.min(MAX_SHORT_SIDE, 32 * Math.round(imageSide * upscale / 32));
        shortSide = Math.max(32, shortSide);
        double scale = shortSide / imageSide;
        int lo = (int) Math.floor(log2(Math.max(8, percentile(sides, 0.02) * scale)));
        int hi = (int) Math.ceil(log2(percentile(sides, 0.98) * scale));
        // Factor-2 spacing (the paper's 128, 256, 512) for up to MAX_SIZES sizes; a wider range
        // widens the step rather than growing the RPN head further.
        List<Float> sizes = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil((hi - lo + 1) / (double) MAX_SIZES));
        for (int k = lo; k <= hi; k += step) sizes.add((float) Math.pow(2, k));
        float[] anchors = new float[sizes.size()];
        for (int k = 0; k < anchors.length; k++) anchors[k] = sizes.get(k);
        return new InputPlan(shortSide, InputConfig.maxSizeFor(shortSide), anchors);
    }

    private static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.floor(q * v.length))];
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
