package org.rcnn4j.training;

import java.util.Map;

/** A loss became NaN or infinite: training stops, the last good checkpoint stays as it was. */
public final class TrainingDivergedException extends RuntimeException {
    private final long iteration;

    public TrainingDivergedException(long iteration, Map<String, Float> losses, String checkpoint) {
        super("training diverged at iteration " + iteration + " (loss terms " + losses + "); "
                + (checkpoint == null ? "no checkpoint was written yet" : "the last good checkpoint is " + checkpoint)
                + "; try a lower learning rate");
        this.iteration = iteration;
    }

    public long iteration() {
        return iteration;
    }
}
