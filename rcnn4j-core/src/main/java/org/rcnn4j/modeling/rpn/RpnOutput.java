package org.rcnn4j.modeling.rpn;

import ai.djl.ndarray.NDArray;

/**
 * The RPN's raw predictions for a batch, laid out in anchor order: row {@code (y·W + x)·A + a} is
 * anchor a at position (x, y), as {@link org.rcnn4j.box.AnchorGenerator#shifted} orders anchors. On
 * a pyramid the levels follow one another, finest first; {@code levelSizes} says how many anchors
 * each holds.
 *
 * @param logits  (N, H·W·A) objectness logits, differentiable
 * @param deltas  (N, H·W·A, 4) box deltas, differentiable
 * @param anchors H·W·A anchors ×4 for this map size, input-image pixels
 * @param scores  per image, the logits copied to Java (for proposal filtering, no gradient)
 * @param boxDeltas per image, the deltas copied to Java
 * @param levelSizes anchors per level (H_l·W_l·A), summing to the anchor count
 */
public record RpnOutput(NDArray logits, NDArray deltas, float[] anchors, float[][] scores, float[][] boxDeltas,
        int[] levelSizes) {
    /** The output of a single map: one level holding every anchor. */
    public RpnOutput(NDArray logits, NDArray deltas, float[] anchors, float[][] scores, float[][] boxDeltas) {
        this(logits, deltas, anchors, scores, boxDeltas, new int[] {anchors.length / 4});
    }

    public int numAnchors() {
        return anchors.length / 4;
    }
}
