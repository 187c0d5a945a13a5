package org.rcnn4j.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * One category's precision and recall over all images, as {@code COCOeval.accumulate} computes
 * them: detections of all images ranked by score, cumulative true and false positives, the
 * monotone precision envelope, and precision read at each recall point with a left
 * {@code searchsorted} (0 past the highest recall reached).
 *
 * <p>Ranking: by score, highest first; ties are broken by image (ascending image id) and then by
 * rank within the image, which is what the API's stable sort of the concatenated per-image lists
 * does. Sorting once for the 100-detection cell serves every cell: the 1- and 10-detection cells
 * only skip the detections ranked too low within their image.
 */
final class CocoAccumulator {
    private final int n;
    private final int[] rankInImage;
    private final byte[][][] codes;
    private final int[] counted;
    private final int[] order;

    /**
     * @param matchers the category's (image, category) pairs, in ascending image id order
     */
    CocoAccumulator(List<CocoImageMatcher> matchers) {
        int total = 0;
        for (CocoImageMatcher im : matchers) total += im.numDets();
        n = total;
        rankInImage = new int[n];
        codes = new byte[CocoParams.A][CocoParams.T][n];
        counted = new int[CocoParams.A];
        long[] keys = new long[n];
        int offset = 0;
        for (CocoImageMatcher im : matchers) {
            for (int a = 0; a < CocoParams.A; a++) {
                counted[a] += im.match(a, codes[a], offset);
            }
            for (int d = 0; d < im.numDets(); d++) {
                rankInImage[offset + d] = d;
                keys[offset + d] = ((long) descending(im.score(d)) << 32) | (offset + d);
            }
            offset += im.numDets();
        }
        Arrays.sort(keys);
        order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keys[i];
    }

    /** An int whose signed order is the reverse of the scores' order (scores are finite). */
    private static int descending(float score) {
        int bits = Float.floatToIntBits(score);
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
        return ~ascending;
    }

    /** Ground truths that count in area range {@code a}. */
    int counted(int a) {
        return counted[a];
    }

    /**
     * Fills this category's cells.
     *
     * @param precision [A][M][T][R], -1 left where the area range has no counted ground truth
     * @param recall    [A][M][T], likewise
     */
    void accumulate(double[][][][] precision, double[][][] recall) {
        double[] rc = new double[n];
        double[] pr = new double[n];
        for (int a = 0; a < CocoParams.A; a++) {
            if (counted[a] == 0) continue;
            for (int m = 0; m < CocoParams.M; m++) {
                for (int t = 0; t < CocoParams.T; t++) {
                    int nd = curve(codes[a][t], CocoParams.MAX_DETS[m], counted[a], rc, pr);
                    recall[a][m][t] = nd > 0 ? rc[nd - 1] : 0;
                    sample(rc, pr, nd, precision[a][m][t]);
                }
            }
        }
    }

    /**
     * Recall and raw precision after each ranked detection kept by {@code maxDet}; ignored detections
     * take a place without changing the counts. Returns how many places were filled.
     */
    private int curve(byte[] code, int maxDet, int gtCount, double[] rc, double[] pr) {
        double tp = 0;
        double fp = 0;
        int nd = 0;
        for (int i = 0; i < n; i++) {
            int d = order[i];
            if (rankInImage[d] >= maxDet) continue;
            if (code[d] == CocoImageMatcher.TRUE_POSITIVE) {
                tp++;
            } else if (code[d] == CocoImageMatcher.FALSE_POSITIVE) {
                fp++;
            }
            rc[nd] = tp / gtCount;
            pr[nd] = tp / (fp + tp + Math.ulp(1.0)); // numpy's spacing(1) keeps 0/0 at 0
            nd++;
        }
        return nd;
    }

    /** Precision envelope, then precision at each recall point ({@code R} values into {@code out}). */
    private static void sample(double[] rc, double[] pr, int nd, double[] out) {
        for (int i = nd - 1; i > 0; i--) {
            if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
        }
        int i = 0;
        for (int r = 0; r < CocoParams.R; r++) {
            double threshold = CocoParams.RECALL_THRESHOLDS[r];
            while (i < nd && rc[i] < threshold) i++;
            out[r] = i < nd ? pr[i] : 0;
        }
    }
}
