package org.rcnn4j.modeling.sampling;

/**
 * A mini-batch drawn by {@link BalancedSampler}: indices of the chosen positive and negative
 * examples, each ascending and disjoint. The arrays are shared, not copied: treat them as read-only.
 *
 * @param positives chosen positive indices, ascending
 * @param negatives chosen negative indices, ascending
 */
public record SampledIndices(int[] positives, int[] negatives) {

    /** The number of chosen examples, positives plus negatives. */
    public int size() {
        return positives.length + negatives.length;
    }
}
