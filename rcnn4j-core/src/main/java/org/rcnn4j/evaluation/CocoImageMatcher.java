package org.rcnn4j.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Detection;

/**
 * The detections and ground truth of one (image, category) pair, matched greedily as
 * {@code COCOeval.evaluateImg} matches them.
 *
 * <p>Detections are sorted by score, highest first (ties keep their input order), and cut at
 * {@code maxDet = 100}. The D x G IoU matrix is computed once, here, and reused for every area range
 * and every IoU threshold; the cells with fewer detections per image (1, 10) are prefixes of the
 * 100-detection match because the match is greedy in score order.
 *
 * <p>IoU is COCO's box IoU in double precision. Against a crowd region it is
 * {@code intersection / detection area}, and a crowd region can match any number of detections.
 * A ground truth is ignored when it is a crowd region, a VOC {@code difficult} object, or outside
 * the area range; a detection matched to an ignored ground truth is ignored, and so is an
 * unmatched detection outside the area range.
 */
final class CocoImageMatcher {
    /** Outcome codes of a detection at one IoU threshold. */
    static final byte FALSE_POSITIVE = 0;
    static final byte TRUE_POSITIVE = 1;
    static final byte IGNORED = 2;

    private final float[] scores;
    private final double[] detAreas;
    private final double[] gtAreas;
    private final boolean[] gtCrowd;
    private final boolean[] gtAlwaysIgnored;
    /** {@code iou[d][g]}: D x G, detections in score order, ground truth in input order. */
    private final double[][] iou;

    /**
     * @param dets detections of this image and category, in input order (any number)
     * @param gts  ground truth of this image and category, in input order
     */
    CocoImageMatcher(List<Detection> dets, List<Annotation> gts) {
        List<Detection> sorted = new ArrayList<>(dets);
        sorted.sort((a, b) -> Float.compare(b.score() + 0f, a.score() + 0f)); // stable, -0 == +0
        int maxDet = CocoParams.MAX_DETS[CocoParams.M - 1];
        List<Detection> kept = sorted.subList(0, Math.min(maxDet, sorted.size()));
        int d = kept.size();
        int g = gts.size();
        scores = new float[d];
        detAreas = new double[d];
        gtAreas = new double[g];
        gtCrowd = new boolean[g];
        gtAlwaysIgnored = new boolean[g];
        for (int j = 0; j < g; j++) {
            Annotation gt = gts.get(j);
            gtAreas[j] = gt.area();
            gtCrowd[j] = gt.crowd();
            gtAlwaysIgnored[j] = gt.crowd() || gt.difficult();
        }
        iou = new double[d][g];
        for (int i = 0; i < d; i++) {
            Detection det = kept.get(i);
            scores[i] = det.score() + 0f;
            detAreas[i] = ((double) det.x2() - det.x1()) * ((double) det.y2() - det.y1());
            for (int j = 0; j < g; j++) {
                iou[i][j] = boxIou(det, detAreas[i], gts.get(j));
            }
        }
    }

    /** COCO's {@code bbIou} for one pair: intersection over union, or over the detection for a crowd. */
    static double boxIou(Detection det, double detArea, Annotation gt) {
        double w = Math.min((double) det.x2(), gt.x2()) - Math.max((double) det.x1(), gt.x1());
        if (w <= 0) return 0;
        double h = Math.min((double) det.y2(), gt.y2()) - Math.max((double) det.y1(), gt.y1());
        if (h <= 0) return 0;
        double inter = w * h;
        double gtArea = ((double) gt.x2() - gt.x1()) * ((double) gt.y2() - gt.y1());
        double union = gt.crowd() ? detArea : detArea + gtArea - inter;
        return inter / union;
    }

    /** Number of detections kept (at most 100). */
    int numDets() {
        return scores.length;
    }

    /** Score of the {@code d}-th kept detection, in score order. */
    float score(int d) {
        return scores[d];
    }

    /**
     * Matches detections to ground truth in one area range at every IoU threshold.
     *
     * @param areaIndex index into {@link CocoParams#AREA_RANGES}
     * @param codes     T arrays; {@code codes[t][offset + d]} receives the outcome of detection d
     * @param offset    where this image's detections start in {@code codes[t]}
     * @return the number of ground truths that count in this area range (not ignored)
     */
    int match(int areaIndex, byte[][] codes, int offset) {
        int g = gtAreas.length;
        boolean[] ignored = new boolean[g];
        int[] order = new int[g]; // ground truth that counts first, ignored last, each in input order
        int counted = 0;
        for (int j = 0; j < g; j++) {
            ignored[j] = gtAlwaysIgnored[j] || CocoParams.outside(gtAreas[j], areaIndex);
            if (!ignored[j]) order[counted++] = j;
        }
        for (int j = 0, k = counted; j < g; j++) {
            if (ignored[j]) order[k++] = j;
        }
        boolean[] taken = new boolean[g];
        for (int t = 0; t < CocoParams.T; t++) {
            Arrays.fill(taken, false);
            double threshold = Math.min(CocoParams.IOU_THRESHOLDS[t], 1 - 1e-10);
            for (int d = 0; d < scores.length; d++) {
                int m = bestMatch(iou[d], order, ignored, taken, threshold);
                byte code;
                if (m < 0) {
                    code = CocoParams.outside(detAreas[d], areaIndex) ? IGNORED : FALSE_POSITIVE;
                } else {
                    taken[m] = true;
                    code = ignored[m] ? IGNORED : TRUE_POSITIVE;
                }
                codes[t][offset + d] = code;
            }
        }
        return counted;
    }

    /**
     * The ground truth a detection matches, or -1: the highest IoU at or above the threshold among
     * those still free (crowd regions are always free), preferring any counted ground truth over an
     * ignored one; on equal IoU the later one in {@code order} wins, as in the COCO API.
     */
    private int bestMatch(double[] ious, int[] order, boolean[] ignored, boolean[] taken, double threshold) {
        double best = threshold;
        int m = -1;
        for (int j : order) {
            if (taken[j] && !gtCrowd[j]) continue;
            if (m > -1 && !ignored[m] && ignored[j]) break;
            if (ious[j] < best) continue;
            best = ious[j];
            m = j;
        }
        return m;
    }
}
