package org.rcnn4j.modeling.sampling;

import java.util.Arrays;

/**
 * The outcome of {@link Matcher#match}: for each of N predictions (anchors or proposals) the index
 * of its ground-truth box, or {@link Matcher#BACKGROUND} or {@link Matcher#IGNORE}, and its largest
 * IoU with any ground-truth box.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param matchedGt N entries: a ground-truth index in 0..G-1 (foreground), {@link Matcher#BACKGROUND}
 *                (-1) or {@link Matcher#IGNORE} (-2)
 * @param maxIou  N entries: the largest IoU of the prediction with any ground-truth box, in [0, 1];
 *                0 when there is no ground truth (NaN IoUs are skipped, see {@link Matcher})
 */
public record MatchResult(int[] matchedGt, float[] maxIou) {

    /** Checks that both arrays describe the same N predictions. */
    public MatchResult {
        if (matchedGt.length != maxIou.length) {
            throw new IllegalArgumentException(
                    "matchedGt and maxIou differ in length: " + matchedGt.length + " vs " + maxIou.length);
        }
    }

    /** The number N of predictions. */
    public int size() {
        return matchedGt.length;
    }

    /** Indices of the foreground predictions (matched to a ground-truth box), ascending. */
    public int[] foreground() {
        return indicesWhere(true);
    }

    /** Indices of the background predictions ({@link Matcher#BACKGROUND}), ascending. */
    public int[] background() {
        return indicesWhere(false);
    }

    private int[] indicesWhere(boolean foreground) {
        int[] out = new int[matchedGt.length];
        int k = 0;
        for (int i = 0; i < matchedGt.length; i++) {
            if (foreground ? matchedGt[i] >= 0 : matchedGt[i] == Matcher.BACKGROUND) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
