package org.rcnn4j.training;

import java.util.Map;

/**
 * A loss became NaN or infinite: training stops before the bad gradients reach the weights, and
 * the last good checkpoint (if the run writes checkpoints) stays as it was. The usual cause is a
 * learning rate too high for the batch size.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final long iteration;
    private final Map<String, Float> losses;

    /**
     * @param iteration  the iteration whose loss was not finite, 1-based as progress lines count
     * @param losses     the loss terms of that iteration
     * @param checkpoint the last good checkpoint, or null when the run has none
     */
    public TrainingDivergedException(long iteration, Map<String, Float> losses, String checkpoint) {
        super("training diverged at iteration " + iteration + " (loss " + losses + "); try a lower learning rate"
                + " or a longer warm-up" + (checkpoint == null ? "" : "; the last good checkpoint is " + checkpoint));
        this.iteration = iteration;
        this.losses = Map.copyOf(losses);
    }

    public long iteration() {
        return iteration;
    }

    /** The loss terms of the diverged iteration (at least one is NaN or infinite). */
    public Map<String, Float> losses() {
        return losses;
    }
}
