package org.rcnn4j.modeling.sampling;

/**
 * The RPN's training targets for one image, from {@link AnchorTargets#assignTargetsToAnchors}, over
 * all A anchors in the anchor array's order. The arrays are shared, not copied: treat them as
 * read-only.
 *
 * <p>The objectness loss uses the anchors with {@code sampled[a]} (label 1 or 0); the box loss the
 * sampled positives, {@code sample.positives()} (Faster R-CNN §3.1.2: regression only for positive
 * anchors).
 *
 * @param labels            A labels: {@link #POSITIVE}, {@link #NEGATIVE} or {@link #IGNORED}, the
 *                          assignment before sampling (anchors outside the image are
 *                          {@link #IGNORED})
 * @param regressionTargets A×4 deltas {@code (tx, ty, tw, th)} from each positive anchor to its
 *                          ground-truth box, encoded by the configured {@link org.rcnn4j.box.BoxCoder};
 *                          zeros for anchors that are not positive
 * @param matchedGt         A ground-truth indices for positive anchors, -1 elsewhere
 * @param sampled           A flags: whether the anchor is in the mini-batch
 * @param sample            the mini-batch as ascending anchor indices (positives, negatives)
 */
public record RpnTargets(int[] labels, float[] regressionTargets, int[] matchedGt, boolean[] sampled,
        SampledIndices sample) {

    /** Label of an anchor matched to a ground-truth box. */
    public static final int POSITIVE = 1;

    /** Label of a background anchor. */
    public static final int NEGATIVE = 0;

    /** Label of an anchor that takes no part in training (between thresholds, or crossing the border). */
    public static final int IGNORED = -1;

    /** The number A of anchors. */
    public int size() {
        return labels.length;
    }
}
