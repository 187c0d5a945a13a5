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

    /**
     * Progress of a stage that is not SGD (caching features, training SVMs), in its own units.
     *
     * @param done       units done, those of an earlier run included
     * @param total      the stage's size
     * @param etaSeconds estimated seconds left; NaN when unknown
     * @param detail     a few more words (the cache's size, say), or empty
     */
    default void onStageProgress(TrainingStage stage, long done, long total, double etaSeconds, String detail) {}

    /** A stage has finished (not called for stages a resume skips). */
    default void onStageEnd(TrainingStage stage, int number, int count) {}
}
