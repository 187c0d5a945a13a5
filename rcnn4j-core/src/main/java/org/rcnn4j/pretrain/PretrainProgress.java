package org.rcnn4j.pretrain;

/**
 * Receives progress of a pre-training run; the library itself never prints. Called on the
 * training thread after each iteration and after validation.
 */
public interface PretrainProgress {
    /** A listener that ignores everything. */
    PretrainProgress NONE = step -> {};

    /**
     * One finished iteration.
     *
     * @param iteration       1-based iteration number
     * @param iterations      total iterations of the run
     * @param loss            mean cross-entropy of the batch
     * @param accuracy        fraction of the batch classified correctly
     * @param learningRate    learning rate used for the step
     * @param imagesPerSecond training throughput over this iteration (rendering included)
     */
    record Step(int iteration, int iterations, float loss, float accuracy, float learningRate, double imagesPerSecond) {}

    void iteration(Step step);

    /** Validation finished: {@code accuracy} over {@code items} validation images. */
    default void validated(double accuracy, int items) {}
}
