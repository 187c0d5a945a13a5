package org.rcnn4j.pretrain;

/**
 * The training loss became NaN or infinite: the run stops before the bad gradients reach the
 * weights. The usual cause is a learning rate too high for the batch size.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int iteration;
    private final float loss;

    public TrainingDivergedException(int iteration, float loss, float learningRate) {
        super("training diverged: loss is " + loss + " at iteration " + iteration + " (learning rate " + learningRate
                + "); lower the learning rate or lengthen the warm-up");
        this.iteration = iteration;
        this.loss = loss;
    }

    /** The iteration (1-based) whose loss was not finite. */
    public int iteration() {
        return iteration;
    }

    /** The loss value, NaN or infinite. */
    public float loss() {
        return loss;
    }
}
