package org.rcnn4j.training;

import java.io.IOException;
import java.util.List;

/**
 * One named stage of a detector's training pipeline ({@link TrainingPipeline}): the single SGD
 * stage of approximate joint training, Faster R-CNN's four alternating steps (§3.2), and, for
 * R-CNN and SPP-net, stages that are not SGD (caching features, training SVMs, fitting box
 * regressors). A stage continues from its own checkpoint when resumed.
 */
public interface TrainingStage {
    /** A short name, unique in its pipeline ({@code joint}, {@code rpn}, ...). */
    String name();

    /** What the stage trains, in a few words, for progress lines. */
    String description();

    /** Its amount of work in its own units ({@link #unit()}), for progress: SGD iterations for an SGD stage. */
    long size();

    /** The unit of {@link #size()}, plural: {@code iterations}, {@code images}, {@code classes}. */
    default String unit() {
        return "iterations";
    }

    /**
     * Runs the stage to its end.
     *
     * @param resume continue from the stage's own checkpoint, when it has one
     * @return the stats of the SGD iterations run by this call (empty for a stage without SGD)
     */
    List<IterationStats> run(boolean resume, DetectorTrainer.Listener listener) throws IOException;
}
