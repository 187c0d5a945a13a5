package org.rcnn4j.box;

/**
 * Region proposals of one image: R boxes in descending score order, from a Region Proposal Network
 * ({@code org.rcnn4j.modeling.rpn.ProposalFilter}), a proposals file or selective search. The
 * arrays are shared, not copied: treat them as read-only.
 *
 * @param boxes  R boxes, 4R floats, continuous convention: in the network input's pixels when an RPN
 *               made them, in the original image's pixels when they come from a file or a method
 *               run on the image
 * @param scores R scores, descending: an RPN's objectness (logits or probabilities), or the
 *               method's own ranking
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
