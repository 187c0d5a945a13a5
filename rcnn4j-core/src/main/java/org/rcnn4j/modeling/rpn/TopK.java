package org.rcnn4j.modeling.rpn;

import java.util.Arrays;

/**
 * The indices of the k highest scores, by partial selection: an O(N) quickselect over packed
 * (score, index) keys, then a sort of the k chosen only. Used for the RPN's pre-NMS top-N, where
 * sorting all of N (tens of thousands of anchors) just to keep a part is wasted work.
 *
 * <p>Order is descending score, equal scores lower index first, -0.0 equal to 0.0 (the order
 * {@link org.rcnn4j.box.Nms} uses); NaN scores are never chosen.
 */
final class TopK {

    private TopK() {}

    /**
     * The top k of {@code scores[from..to)}.
     *
     * @param scores values to rank
     * @param from   first index, inclusive
     * @param to     last index, exclusive
     * @param k      how many to keep (non-negative)
     * @return up to k indices into {@code scores} (absolute, not relative to {@code from}),
     *         descending score, ties lower index first
     */
    static int[] indices(float[] scores, int from, int to, int k) {
        long[] keys = new long[to - from];
        int m = 0;
        for (int i = from; i < to; i++) {
            if (!Float.isNaN(scores[i])) {
                keys[m++] = key(scores[i], i);
            }
        }
        int keep = Math.min(k, m);
        if (keep < m) {
            select(keys, 0, m - 1, keep);
        }
        Arrays.sort(keys, 0, keep);
        int[] out = new int[keep];
        for (int j = 0; j < keep; j++) {
            out[j] = (int) keys[j];
        }
        return out;
    }

    /**
     * A key whose ascending order is descending score, then ascending index: a monotone int image
     * of the float (sign-magnitude flipped to two's complement order), inverted, in the high half.
     */
    static long key(float score, int index) {
        int bits = Float.floatToIntBits(score + 0f); // + 0f turns -0.0 into 0.0
        int monotone = bits < 0 ? bits ^ 0x7fffffff : bits;
        return ((long) ~monotone << 32) | index;
    }

    /**
     * Rearranges {@code keys[lo..hi]} so that every key in {@code [lo, k)} is smaller than every key
     * in {@code [k, hi]} (Hoare's selection with median-of-three pivots; keys are distinct because
     * they hold the index).
     */
    private static void select(long[] keys, int lo, int hi, int k) {
        while (lo < k && k <= hi) {
            int mid = (lo + hi) >>> 1;
            long pivot = median(keys[lo], keys[mid], keys[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = keys[i];
                    keys[i++] = keys[j];
                    keys[j--] = t;
                }
            }
            // Now keys[lo..j] <= pivot <= keys[i..hi], and keys[j+1..i-1] equal the pivot: the split
            // before k is final unless k falls strictly inside one of the two outer parts.
            if (k <= j) {
                hi = j;
            } else if (k > i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
