package org.rcnn4j.training;

/** Progress of a training pipeline: each SGD iteration ({@link DetectorTrainer.Listener}), and the stages. */
public interface TrainingListener extends DetectorTrainer.Listener {
    /**
     * A stage starts.
     *
     * @param number 1-based position of the stage in the pipeline
     * @param count  stages in the pipeline
     */
    default void onStageStart(TrainingStage stage, int number, int count) {}

    /** A stage has finished (not called for stages a resume skips). */
    default void onStageEnd(TrainingStage stage, int number, int count) {}
}
