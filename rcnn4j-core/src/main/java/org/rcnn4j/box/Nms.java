package org.rcnn4j.box;

import java.util.Arrays;

/**
 * Greedy non-maximum suppression (R-CNN §2.2 "greedy non-maximum suppression (for each class
 * independently)"; Faster R-CNN §3.3 on RPN proposals, IoU 0.7): take the highest-scoring box left,
 * keep it, discard every remaining box whose IoU with it is strictly greater than the threshold
 * (py-faster-rcnn and torchvision suppress at {@code IoU > threshold}), repeat.
 *
 * <p>IoU uses the continuous convention ({@code w = x2 - x1}), as {@link Boxes#iou}; a zero-area box
 * has IoU 0 with everything, so it neither suppresses nor is suppressed.
 *
 * <p><b>Order and ties.</b> Kept indices come in descending score; equal scores are taken lower
 * index first, so results are deterministic. -0.0 and 0.0 are equal scores.
 *
 * <p><b>Non-finite input.</b> A box whose score or any coordinate is NaN is never kept (and
 * suppresses nothing). Infinite scores sort as the extreme values they are.
 *
 * <p><b>Complexity.</b> One O(N log N) sort of packed (score, index) keys, then the greedy pass over
 * the boxes copied into score order (structure-of-arrays, areas precomputed): each kept box is
 * compared with the not-yet-suppressed boxes after it, O(N·k) IoUs for k kept boxes, O(N²) in the
 * worst case (nothing overlaps). With a maximum count the pass stops as soon as that many are kept,
 * which bounds it at O(N·max) — the usual RPN case (12000 → 2000). Memory O(N); nothing is
 * allocated per pair.
 */
public final class Nms {

    private Nms() {}

    /**
     * Greedy NMS without a limit on the number kept.
     *
     * @param boxes        N boxes, continuous convention
     * @param scores       N scores
     * @param iouThreshold a box is suppressed by a kept one when their IoU is strictly greater
     *                     (at least 0; 1 or more suppresses nothing)
     * @return kept indices into 0..N-1, descending score, ties lower index first
     */
    public static int[] nms(float[] boxes, float[] scores, float iouThreshold) {
        return nms(boxes, scores, iouThreshold, Integer.MAX_VALUE);
    }

    /**
     * Greedy NMS keeping at most {@code maxKept} boxes (the first {@code maxKept} that plain NMS
     * would keep; Faster R-CNN's post-NMS top-N).
     *
     * @param boxes        N boxes, continuous convention
     * @param scores       N scores
     * @param iouThreshold a box is suppressed by a kept one when their IoU is strictly greater
     * @param maxKept      maximum number of indices returned (non-negative)
     * @return kept indices into 0..N-1, descending score, ties lower index first
     */
    public static int[] nms(float[] boxes, float[] scores, float iouThreshold, int maxKept) {
        int n = checkArgs(boxes, scores, iouThreshold, maxKept);
        int[] order = sortByScore(scores, n);
        boolean[] kept = new boolean[order.length];
        int count = greedy(boxes, order, 0, order.length, iouThreshold, maxKept, kept);
        return collect(order, kept, count);
    }

    /**
     * Greedy NMS per class: boxes of different classes never suppress each other (torchvision's
     * {@code batched_nms}; per-class NMS at detection time, R-CNN §2.2).
     *
     * @param boxes        N boxes, continuous convention
     * @param scores       N scores
     * @param classes      N class labels (any ints)
     * @param iouThreshold a box is suppressed by a kept one of its class when their IoU is strictly greater
     * @return kept indices over all classes, descending score, ties lower index first
     */
    public static int[] batchedNms(float[] boxes, float[] scores, int[] classes, float iouThreshold) {
        return batchedNms(boxes, scores, classes, iouThreshold, Integer.MAX_VALUE);
    }

    /**
     * Per-class greedy NMS, then the {@code maxKept} best over all classes (e.g. 100 detections per
     * image).
     *
     * @param boxes        N boxes, continuous convention
     * @param scores       N scores
     * @param classes      N class labels (any ints)
     * @param iouThreshold a box is suppressed by a kept one of its class when their IoU is strictly greater
     * @param maxKept      maximum number of indices returned in total (non-negative)
     * @return kept indices over all classes, descending score, ties lower index first
     */
    public static int[] batchedNms(float[] boxes, float[] scores, int[] classes, float iouThreshold, int maxKept) {
        int n = checkArgs(boxes, scores, iouThreshold, maxKept);
        if (classes.length != n) {
            throw new IllegalArgumentException("classes length " + classes.length + " != box count " + n);
        }
        int[] order = sortByScore(scores, n);
        // Group ranks by class, keeping score order inside a group: sort (class, rank) keys.
        long[] keys = new long[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            keys[rank] = ((long) classes[order[rank]] << 32) | rank;
        }
        Arrays.sort(keys);
        int[] grouped = new int[order.length];
        for (int k = 0; k < keys.length; k++) {
            grouped[k] = order[(int) keys[k]];
        }
        boolean[] keptGrouped = new boolean[order.length];
        for (int start = 0; start < keys.length; ) {
            int end = start;
            while (end < keys.length && (keys[end] >> 32) == (keys[start] >> 32)) {
                end++;
            }
            // No class can contribute more than maxKept to the overall best maxKept.
            greedy(boxes, grouped, start, end, iouThreshold, maxKept, keptGrouped);
            start = end;
        }
        // Back to global score order: rank of grouped[k] is the low half of keys[k].
        boolean[] kept = new boolean[order.length];
        for (int k = 0; k < keys.length; k++) {
            kept[(int) keys[k]] = keptGrouped[k];
        }
        int count = 0;
        for (boolean b : kept) {
            count += b ? 1 : 0;
        }
        return collect(order, kept, Math.min(count, maxKept));
    }

    private static int checkArgs(float[] boxes, float[] scores, float iouThreshold, int maxKept) {
        int n = Boxes.count(boxes);
        if (scores.length != n) {
            throw new IllegalArgumentException("scores length " + scores.length + " != box count " + n);
        }
        if (!(iouThreshold >= 0f)) {
            // Negative would make disjoint boxes (IoU 0) suppress each other; NaN is meaningless.
            throw new IllegalArgumentException("iouThreshold must be >= 0: " + iouThreshold);
        }
        if (maxKept < 0) {
            throw new IllegalArgumentException("maxKept is negative: " + maxKept);
        }
        return n;
    }

    /**
     * Indices of the usable boxes (no NaN score or coordinate) sorted by descending score, ties by
     * ascending index: one primitive sort of keys packing a monotone int image of the score (high
     * half, inverted) and the index (low half).
     */
    static int[] sortByScore(float[] scores, int n) {
        long[] keys = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(scores[i])) {
                continue;
            }
            int bits = Float.floatToIntBits(scores[i] + 0f); // + 0f turns -0.0 into 0.0
            int monotone = bits < 0 ? bits ^ 0x7fffffff : bits; // signed int order == float order
            keys[m++] = ((long) ~monotone << 32) | i; // ~ reverses the order: highest score first
        }
        Arrays.sort(keys, 0, m);
        int[] order = new int[m];
        for (int k = 0; k < m; k++) {
            order[k] = (int) keys[k];
        }
        return order;
    }

    /**
     * The greedy pass over {@code idx[from..to)}, already in score order. Marks {@code kept[k]} for
     * kept positions k and returns how many were kept (at most {@code maxKept}).
     */
    private static int greedy(float[] boxes, int[] idx, int from, int to, float thr, int maxKept, boolean[] kept) {
        int len = to - from;
        float[] x1 = new float[len];
        float[] y1 = new float[len];
        float[] x2 = new float[len];
        float[] y2 = new float[len];
        float[] area = new float[len];
        boolean[] gone = new boolean[len];
        for (int k = 0; k < len; k++) {
            int o = 4 * idx[from + k];
            x1[k] = boxes[o];
            y1[k] = boxes[o + 1];
            x2[k] = boxes[o + 2];
            y2[k] = boxes[o + 3];
            area[k] = Boxes.area(boxes, idx[from + k]);
            gone[k] = Float.isNaN(x1[k]) || Float.isNaN(y1[k]) || Float.isNaN(x2[k]) || Float.isNaN(y2[k]);
        }
        int count = 0;
        for (int i = 0; i < len && count < maxKept; i++) {
            if (gone[i]) {
                continue;
            }
            kept[from + i] = true;
            count++;
            if (count == maxKept) {
                break; // nothing after the last kept box matters
            }
            suppress(x1, y1, x2, y2, area, gone, i, thr);
        }
        return count;
    }

    /** Marks as gone every later box whose IoU with box i exceeds {@code thr}. */
    private static void suppress(float[] x1, float[] y1, float[] x2, float[] y2, float[] area,
                                 boolean[] gone, int i, float thr) {
        float ax1 = x1[i];
        float ay1 = y1[i];
        float ax2 = x2[i];
        float ay2 = y2[i];
        float aa = area[i];
        for (int j = i + 1; j < gone.length; j++) {
            if (gone[j]) {
                continue;
            }
            float iw = Math.min(ax2, x2[j]) - Math.max(ax1, x1[j]);
            if (iw <= 0f) {
                continue; // no horizontal overlap: IoU 0, skip the rest of the arithmetic
            }
            float ih = Math.min(ay2, y2[j]) - Math.max(ay1, y1[j]);
            if (ih <= 0f) {
                continue;
            }
            float inter = iw * ih;
            if (Boxes.ratio(inter, aa + area[j] - inter) > thr) {
                gone[j] = true;
            }
        }
    }

    private static int[] collect(int[] order, boolean[] kept, int count) {
        int[] out = new int[count];
        int c = 0;
        for (int k = 0; k < order.length && c < count; k++) {
            if (kept[k]) {
                out[c++] = order[k];
            }
        }
        return out;
    }
}
