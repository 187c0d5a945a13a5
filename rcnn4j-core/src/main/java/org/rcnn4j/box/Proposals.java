package org.rcnn4j.box;

import org.rcnn4j.box.Boxes;

/**
 * Region proposals of one image, from {@link ProposalFilter}: R boxes in descending score order.
 * The arrays are shared, not copied: treat them as read-only.
 *
 * @param boxes  R boxes, 4R floats, continuous convention, input-image pixels, clipped to the image
 * @param scores R objectness scores, as the RPN gave them (logits or probabilities), descending
 */
public record Proposals(float[] boxes, float[] scores) {

    /** Checks that boxes and scores describe the same R proposals. */
    public Proposals {
        if (Boxes.count(boxes) != scores.length) {
            throw new IllegalArgumentException("boxes hold " + boxes.length / 4 + " rows but there are "
                    + scores.length + " scores");
        }
    }

    /** The number R of proposals. */
    public int size() {
        return scores.length;
    }
}
