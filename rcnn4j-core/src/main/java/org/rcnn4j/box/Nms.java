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
 * the boxes copied into score order (structure of arrays, areas precomputed): each kept box is
 * compared once with every box still alive, and the survivors are compacted as it goes, so the work
 * is O(Σ alive) ≤ O(N·k) IoUs for k kept boxes, O(N²) in the worst case (nothing overlaps). With a
 * maximum count the pass stops as soon as that many are kept, bounding it at O(N·max), the usual
 * RPN case (12000 → 2000). Memory O(N); nothing is allocated per pair. Measured on 12000 RPN-like
 * boxes (a 2-core shared machine, JDK 17; 2026-11-23, commit eadabb2): about 20 ms for NMS 0.7 down
 * to 2000, 5 to 10 ms for 6000 boxes; 3 to 7 times faster than the same pass written with early-out
 * branches.
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
        Candidates live = new Candidates(boxes, idx, from, to);
        int count = 0;
        while (live.size > 0 && count < maxKept) {
            // The best remaining box is always at the front: survivors stay in score order.
            kept[from + live.pos[0]] = true;
            count++;
            if (count < maxKept) {
                live.dropFirstAndSuppress(thr);
            }
        }
        return count;
    }

    /**
     * The boxes not yet kept or suppressed, in score order, as parallel arrays (structure of arrays,
     * so the suppression loop streams through memory).
     */
    private static final class Candidates {
        final float[] x1;
        final float[] y1;
        final float[] x2;
        final float[] y2;
        final float[] area;
        final int[] pos; // position in idx[from..to)
        int size;

        Candidates(float[] boxes, int[] idx, int from, int to) {
            int len = to - from;
            x1 = new float[len];
            y1 = new float[len];
            x2 = new float[len];
            y2 = new float[len];
            area = new float[len];
            pos = new int[len];
            for (int k = 0; k < len; k++) {
                int o = 4 * idx[from + k];
                if (Float.isNaN(boxes[o]) || Float.isNaN(boxes[o + 1])
                        || Float.isNaN(boxes[o + 2]) || Float.isNaN(boxes[o + 3])) {
                    continue; // documented: a box with a NaN coordinate is never kept
                }
                x1[size] = boxes[o];
                y1[size] = boxes[o + 1];
                x2[size] = boxes[o + 2];
                y2[size] = boxes[o + 3];
                area[size] = Boxes.area(boxes, idx[from + k]);
                pos[size++] = k;
            }
        }

        /**
         * Removes the first box (just kept) and every box whose IoU with it exceeds {@code thr},
         * compacting the survivors to the front in their order. Branch-free on purpose: overlap
         * tests on random boxes mispredict, and a plain streaming loop is several times faster (3 to
         * 7 times on 12000 boxes; 2026-11-23, commit eadabb2).
         * {@code inter / union > thr} is false for a 0/0 or NaN union, and thr is at least 0, so a
         * zero-area box never suppresses nor is suppressed, as {@link Boxes#iou} would give 0.
         */
        void dropFirstAndSuppress(float thr) {
            float ax1 = x1[0];
            float ay1 = y1[0];
            float ax2 = x2[0];
            float ay2 = y2[0];
            float aa = area[0];
            int w = 0;
            for (int j = 1; j < size; j++) {
                float bx1 = x1[j];
                float by1 = y1[j];
                float bx2 = x2[j];
                float by2 = y2[j];
                float ba = area[j];
                float inter = Math.max(0f, Math.min(ax2, bx2) - Math.max(ax1, bx1))
                        * Math.max(0f, Math.min(ay2, by2) - Math.max(ay1, by1));
                boolean survives = !(inter / (aa + ba - inter) > thr);
                x1[w] = bx1;
                y1[w] = by1;
                x2[w] = bx2;
                y2[w] = by2;
                area[w] = ba;
                pos[w] = pos[j];
                w += survives ? 1 : 0;
            }
            size = w;
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
