package org.rcnn4j.modeling.sampling;

import java.util.Arrays;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RpnConfig;

/**
 * Assigns each prediction (an anchor or a proposal) to the ground-truth box it overlaps most, by IoU
 * thresholds, into three zones:
 *
 * <pre>
 *   maxIoU &gt;= fgThreshold              → foreground: the index of that ground-truth box
 *   bgLow &lt;= maxIoU &lt; bgHigh            → {@link #BACKGROUND}
 *   anything else                      → {@link #IGNORE} (not used for training)
 * </pre>
 *
 * The paper rules:
 * <ul>
 *   <li>RPN ({@link #rpn()}, Faster R-CNN §3.1.2): positive at IoU ≥ 0.7, negative below 0.3 (bg in
 *       [0, 0.3)), the rest ignored, plus low-quality matches (below). The paper says "higher than
 *       0.7"; rcnn4j follows py-faster-rcnn's {@code anchor_target_layer}
 *       ({@code max_overlaps >= RPN_POSITIVE_OVERLAP}) and torchvision's {@code Matcher}, where the
 *       threshold itself is positive. Negative is strictly below 0.3 in all three.</li>
 *   <li>Fast R-CNN RoIs ({@link #fastRcnn()}, Fast R-CNN §2.3): foreground at IoU ≥ 0.5, background
 *       in [0.1, 0.5), below 0.1 ignored ("a heuristic for hard example mining").</li>
 *   <li>Faster R-CNN RoIs ({@link #fasterRcnnRoi()}): as Fast R-CNN but background in [0, 0.5)
 *       (py-faster-rcnn's end-to-end {@code BG_THRESH_LO: 0.0}).</li>
 * </ul>
 *
 * <p><b>Low-quality matches</b> (Faster R-CNN §3.1.2 rule (i), "the anchor/anchors with the highest
 * IoU overlap with a ground-truth box"): when enabled, for each ground-truth box every prediction
 * whose IoU with it equals that box's best IoU (ties included, as py-faster-rcnn's
 * {@code gt_argmax_overlaps}) becomes foreground even below {@code fgThreshold}. Such a prediction is
 * matched, like every foreground one, to its <em>own</em> best ground-truth box (py-faster-rcnn and
 * torchvision regress it to {@code argmax_overlaps}). A ground-truth box whose best IoU is 0 overlaps
 * no prediction and is skipped, so it cannot turn disjoint predictions into positives.
 *
 * <p><b>Ties and special values.</b> A prediction equally close to several ground-truth boxes takes
 * the lowest index. A NaN IoU counts as no match: it is skipped as if it were 0 (a prediction with
 * only NaN IoUs has maxIoU 0). With no ground truth every prediction is {@link #BACKGROUND}
 * (torchvision's rule: an image without objects still trains the background class), whatever
 * {@code bgLow}; with no predictions the result is empty. Neither throws.
 *
 * <p>Immutable and thread-safe.
 */
public final class Matcher {

    /** A prediction labelled background: its IoU is in [bgLow, bgHigh) (torchvision's BELOW_LOW_THRESHOLD). */
    public static final int BACKGROUND = -1;

    /** A prediction neither foreground nor background: it takes no part in training (BETWEEN_THRESHOLDS). */
    public static final int IGNORE = -2;

    private final float fgThreshold;
    private final float bgLow;
    private final float bgHigh;
    private final boolean allowLowQualityMatches;

    /**
     * A matcher with explicit zones.
     *
     * @param fgThreshold            foreground at IoU ≥ this
     * @param bgLow                  background from this IoU (inclusive)
     * @param bgHigh                 background below this IoU (exclusive)
     * @param allowLowQualityMatches whether each ground-truth box's best predictions are foreground
     *                               whatever their IoU (RPN rule (i))
     * @throws IllegalArgumentException unless {@code 0 <= bgLow <= bgHigh <= fgThreshold}, all finite
     */
    public Matcher(float fgThreshold, float bgLow, float bgHigh, boolean allowLowQualityMatches) {
        if (!(bgLow >= 0f && bgLow <= bgHigh && bgHigh <= fgThreshold) || !Float.isFinite(fgThreshold)) {
            throw new IllegalArgumentException("need 0 <= bgLow <= bgHigh <= fgThreshold, finite; got bgLow "
                    + bgLow + ", bgHigh " + bgHigh + ", fgThreshold " + fgThreshold);
        }
        this.fgThreshold = fgThreshold;
        this.bgLow = bgLow;
        this.bgHigh = bgHigh;
        this.allowLowQualityMatches = allowLowQualityMatches;
    }

    /** The RPN anchor rule (Faster R-CNN §3.1.2): fg ≥ 0.7, bg &lt; 0.3, low-quality matches on. */
    public static Matcher rpn() {
        return forRpn(RpnConfig.fasterRcnn());
    }

    /** The anchor rule of {@code rpn}: fg ≥ {@code positiveIoU}, bg &lt; {@code negativeIoU}, low-quality matches on. */
    public static Matcher forRpn(RpnConfig rpn) {
        return new Matcher(rpn.positiveIoU(), 0f, rpn.negativeIoU(), true);
    }

    /** The RoI rule of {@code roi}: fg ≥ {@code fgIoU}, bg in [{@code bgLow}, {@code fgIoU}). */
    public static Matcher forRois(RoiConfig roi) {
        return new Matcher(roi.fgIoU(), roi.bgLow(), roi.fgIoU(), false);
    }

    /** Fast R-CNN's RoI rule (§2.3): fg ≥ 0.5, bg in [0.1, 0.5), below 0.1 ignored. */
    public static Matcher fastRcnn() {
        return forRois(RoiConfig.fastRcnn());
    }

    /** Faster R-CNN's RoI rule (py-faster-rcnn end-to-end training): fg ≥ 0.5, bg in [0, 0.5). */
    public static Matcher fasterRcnnRoi() {
        return forRois(RoiConfig.fastRcnn().withSampling(128, 0f));
    }

    /** Foreground at IoU ≥ this. */
    public float fgThreshold() {
        return fgThreshold;
    }

    /** Background from this IoU, inclusive. */
    public float bgLow() {
        return bgLow;
    }

    /** Background below this IoU, exclusive. */
    public float bgHigh() {
        return bgHigh;
    }

    /** Whether each ground-truth box's best predictions are foreground whatever their IoU. */
    public boolean allowLowQualityMatches() {
        return allowLowQualityMatches;
    }

    /**
     * Matches predictions to ground-truth boxes by their IoU ({@link Boxes#iou}, continuous convention).
     *
     * @param predictions N boxes (anchors or proposals), 4N floats
     * @param gtBoxes     G ground-truth boxes, 4G floats (may be empty)
     * @return the N matches
     */
    public MatchResult match(float[] predictions, float[] gtBoxes) {
        int n = Boxes.count(predictions);
        int g = Boxes.count(gtBoxes);
        if (n == 0 || g == 0) {
            return match(new float[0], n, g); // no IoU needed, and none is allocated
        }
        return match(Boxes.iou(predictions, gtBoxes), n, g);
    }

    /**
     * Matches from a precomputed IoU matrix (any quality measure in [0, 1] works the same way).
     *
     * @param iou         the N×G matrix, row-major: {@code iou[i * G + j]} is IoU(prediction i, gt j)
     * @param predictions N
     * @param gt          G
     * @return the N matches
     * @throws IllegalArgumentException if {@code iou.length != N * G}
     */
    public MatchResult match(float[] iou, int predictions, int gt) {
        if (predictions < 0 || gt < 0 || iou.length != (long) predictions * gt) {
            throw new IllegalArgumentException("iou length " + iou.length + " != " + predictions + " x " + gt);
        }
        int[] matches = new int[predictions];
        float[] maxIou = new float[predictions];
        if (gt == 0) {
            Arrays.fill(matches, BACKGROUND);
            return new MatchResult(matches, maxIou);
        }
        float[] bestPerGt = new float[gt]; // 0 start: a gt whose best IoU stays 0 is skipped below
        for (int i = 0; i < predictions; i++) {
            int row = i * gt;
            int best = 0;
            float bestIou = 0f;
            for (int j = 0; j < gt; j++) {
                float v = iou[row + j];
                // "v > best" is false for NaN, which is how NaN counts as no match.
                if (v > bestIou) {
                    bestIou = v;
                    best = j;
                }
                if (v > bestPerGt[j]) {
                    bestPerGt[j] = v;
                }
            }
            maxIou[i] = bestIou;
            matches[i] = zone(bestIou, best);
        }
        if (allowLowQualityMatches) {
            addLowQualityMatches(iou, gt, bestPerGt, matches);
        }
        return new MatchResult(matches, maxIou);
    }

    private int zone(float maxIou, int bestGt) {
        if (maxIou >= fgThreshold) {
            return bestGt;
        }
        return maxIou >= bgLow && maxIou < bgHigh ? BACKGROUND : IGNORE;
    }

    /**
     * Makes foreground every prediction that reaches some ground-truth box's best (positive) IoU,
     * matched to its own best box: the first column holding its row maximum.
     */
    private static void addLowQualityMatches(float[] iou, int gt, float[] bestPerGt, int[] matches) {
        for (int i = 0; i < matches.length; i++) {
            if (matches[i] >= 0) {
                continue;
            }
            int row = i * gt;
            for (int j = 0; j < gt; j++) {
                if (bestPerGt[j] > 0f && iou[row + j] == bestPerGt[j]) {
                    matches[i] = argmax(iou, row, gt);
                    break;
                }
            }
        }
    }

    private static int argmax(float[] iou, int row, int gt) {
        int best = 0;
        float bestIou = 0f;
        for (int j = 0; j < gt; j++) {
            if (iou[row + j] > bestIou) {
                bestIou = iou[row + j];
                best = j;
            }
        }
        return best;
    }
}
