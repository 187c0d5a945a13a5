package org.rcnn4j.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

/**
 * COCO bbox evaluation: the numbers of the COCO API's {@code COCOeval} ({@code iouType = "bbox"},
 * default parameters) followed by {@code accumulate()} and {@code summarize()}.
 *
 * <p>Rules, as in the API: IoU thresholds 0.50:0.05:0.95; 101 recall points; at most 1, 10 and 100
 * detections per image and category, highest scores first; area ranges all, small ({@code <= 32²}),
 * medium ({@code 32²..96²}), large ({@code >= 96²}), both ends inclusive, by the annotation's
 * {@link Annotation#area()} for ground truth and by {@code w * h} for detections; crowd regions
 * ({@link Annotation#crowd()}) overlap a detection by {@code intersection / detection area}, absorb
 * any number of detections, and neither reward nor punish them. Every image of the dataset is
 * evaluated (an image without objects makes its detections false positives); every category of the
 * dataset is evaluated, and one without ground truth gets -1.
 *
 * <p>VOC data: a {@link Annotation#difficult()} object is treated like an annotation with COCO's
 * {@code ignore} flag: ordinary IoU (not the crowd rule), matched by at most one detection, and
 * that detection is ignored rather than counted.
 *
 * <p>Differences from the API that do not change its numbers on valid input: matches are kept as
 * flags rather than annotation ids (the API takes an annotation id of 0 for "unmatched"); ground
 * truth of a category the dataset does not list is skipped, as the API skips it.
 *
 * <p>Cost: one D x G IoU matrix per (image, category), D <= 100, reused for the 4 area ranges and
 * 10 thresholds; one sort of a category's detections. Single-threaded and deterministic.
 */
public final class CocoEvaluator {
    private CocoEvaluator() {}

    /**
     * Evaluates detections against ground truth.
     *
     * @param gt   the ground truth: its images (all evaluated) and categories (K)
     * @param dets detections of any images of {@code gt}, in any order; when scores tie, earlier
     *             entries rank first, as in the API (which keeps results-file order)
     * @return the 12 summary numbers, per-class AP and per-class precision/recall curves
     * @throws IllegalArgumentException when a detection names an image or category {@code gt} does not
     *                                  have, or has a non-finite score
     */
    public static CocoEvaluation evaluate(Dataset gt, List<Detection> dets) {
        List<ImageRecord> images = new ArrayList<>(gt.images());
        images.sort(Comparator.comparingLong(ImageRecord::id)); // the API walks sorted image ids
        Map<Long, Integer> slotOfImage = new HashMap<>();
        for (int i = 0; i < images.size(); i++) slotOfImage.put(images.get(i).id(), i);
        int numClasses = gt.numClasses();
        if ((long) numClasses * Math.max(1, images.size()) >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many images x categories: " + numClasses + " x " + images.size());
        }
        Detection[] detArray = dets.toArray(new Detection[0]); // constant-time access whatever the list
        long[] detKeys = detectionGroups(gt, detArray, slotOfImage, images.size());
        List<Annotation> flatGts = new ArrayList<>();
        long[] gtKeys = groundTruthGroups(gt, images, flatGts);

        double[][][][][] precision = new double[numClasses][][][][];
        double[][][][] recall = new double[numClasses][][][];
        int di = 0;
        int gi = 0;
        for (int k = 0; k < numClasses; k++) {
            long end = (long) (k + 1) * images.size();
            List<CocoImageMatcher> matchers = new ArrayList<>();
            while ((di < detKeys.length && group(detKeys[di]) < end) || (gi < gtKeys.length && group(gtKeys[gi]) < end)) {
                long g = Math.min(di < detKeys.length ? group(detKeys[di]) : Long.MAX_VALUE,
                        gi < gtKeys.length ? group(gtKeys[gi]) : Long.MAX_VALUE);
                List<Detection> imageDets = new ArrayList<>();
                for (; di < detKeys.length && group(detKeys[di]) == g; di++) imageDets.add(detArray[index(detKeys[di])]);
                List<Annotation> imageGts = new ArrayList<>();
                for (; gi < gtKeys.length && group(gtKeys[gi]) == g; gi++) imageGts.add(flatGts.get(index(gtKeys[gi])));
                matchers.add(new CocoImageMatcher(imageDets, imageGts));
            }
            precision[k] = filled(new double[CocoParams.A][CocoParams.M][CocoParams.T][CocoParams.R]);
            recall[k] = filled(new double[CocoParams.A][CocoParams.M][CocoParams.T]);
            new CocoAccumulator(matchers).accumulate(precision[k], recall[k]);
        }
        return CocoSummary.summarize(gt.classNames(), precision, recall);
    }

    /** Sorted keys {@code (classIndex0 * numImages + slot) << 32 | detectionIndex}. */
    private static long[] detectionGroups(Dataset gt, Detection[] dets, Map<Long, Integer> slotOfImage, int numImages) {
        long[] keys = new long[dets.length];
        for (int i = 0; i < keys.length; i++) {
            Detection d = dets[i];
            Integer slot = slotOfImage.get(d.imageId());
            if (slot == null) {
                throw new IllegalArgumentException("detection " + i + ": image id " + d.imageId() + " is not in the ground truth");
            }
            int k = gt.classIndex(d.categoryId());
            if (k < 0) {
                throw new IllegalArgumentException("detection " + i + ": category id " + d.categoryId() + " is not in the ground truth");
            }
            if (!Float.isFinite(d.score())) {
                throw new IllegalArgumentException("detection " + i + ": score " + d.score() + " is not finite");
            }
            keys[i] = ((long) (k - 1) * numImages + slot) << 32 | i;
        }
        Arrays.sort(keys);
        return keys;
    }

    /**
     * Sorted keys {@code (classIndex0 * numImages + slot) << 32 | index into flatGts}; {@code flatGts}
     * receives the annotations in image order, each image's in its own order.
     */
    private static long[] groundTruthGroups(Dataset gt, List<ImageRecord> images, List<Annotation> flatGts) {
        List<Long> keys = new ArrayList<>();
        for (int slot = 0; slot < images.size(); slot++) {
            for (Annotation a : images.get(slot).annotations()) {
                int k = gt.classIndex(a.categoryId());
                if (k < 0) continue;
                keys.add(((long) (k - 1) * images.size() + slot) << 32 | flatGts.size());
                flatGts.add(a);
            }
        }
        long[] sorted = new long[keys.size()];
        for (int i = 0; i < sorted.length; i++) sorted[i] = keys.get(i);
        Arrays.sort(sorted);
        return sorted;
    }

    private static long group(long key) {
        return key >>> 32;
    }

    private static int index(long key) {
        return (int) key;
    }

    private static double[][][][] filled(double[][][][] cells) {
        for (double[][][] byM : cells) filled(byM);
        return cells;
    }

    private static double[][][] filled(double[][][] cells) {
        for (double[][] byT : cells) {
            for (double[] row : byT) Arrays.fill(row, -1);
        }
        return cells;
    }
}
