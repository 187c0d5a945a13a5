package org.rcnn4j.training;

import java.io.IOException;
import java.util.List;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.preprocess.LoaderConfig;

/**
 * A training stage of stochastic gradient descent ({@link DetectorTrainer}): a view of a network
 * whose loss terms it minimises ({@link TrainableDetector}: the whole detector, or its RPN alone,
 * or its region stage on another network's proposals), a preparation that sets which blocks learn
 * (the others frozen), the solver, and the stage's own checkpoints.
 */
public final class SgdStage implements TrainingStage {
    private final String name;
    private final String description;
    private final DetectorModel network;
    private final TrainableDetector view;
    private final Runnable prepare;
    private final TrainingConfig solver;
    private final Dataset data;
    private final LoaderConfig loader;
    private final Checkpoints checkpoints;

    /**
     * @param network     the network whose parameters the stage changes
     * @param view        what of it the stage trains and the loss terms it minimises
     * @param prepare     run before the stage: freezes the blocks this stage must not change
     * @param solver      iterations, learning rate schedule, momentum, weight decay, seed
     * @param loader      the training images' sizes, flip and normalisation
     * @param checkpoints where the stage's own checkpoints go, and a resume reads
     */
    public SgdStage(String name, String description, DetectorModel network, TrainableDetector view, Runnable prepare,
            TrainingConfig solver, Dataset data, LoaderConfig loader, Checkpoints checkpoints) {
        this.name = name;
        this.description = description;
        this.network = network;
        this.view = view;
        this.prepare = prepare;
        this.solver = solver;
        this.data = data;
        this.loader = loader;
        this.checkpoints = checkpoints;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    /** The SGD iterations. */
    @Override
    public long size() {
        return solver.iterations();
    }

    /** The network whose parameters the stage changes. */
    public DetectorModel network() {
        return network;
    }

    /** What the stage trains. */
    public TrainableDetector view() {
        return view;
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener listener) throws IOException {
        prepare.run();
        return new DetectorTrainer(solver).train(view, data, loader, checkpoints, resume, listener);
    }
}
