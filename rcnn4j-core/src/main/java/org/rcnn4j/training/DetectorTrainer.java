package org.rcnn4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.modeling.NativeFloats;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.DetectionLoader;
import org.rcnn4j.preprocess.LoaderConfig;

/**
 * Trains a detector by SGD ({@link SgdLoop}: one sub-manager and one gradient collector per
 * iteration, the loss as named terms, a NaN/Inf check before any update), on batches of a dataset,
 * with checkpoints every N iterations and resume from the last one. Deterministic: batch content and every sampling draw are functions of
 * (seed, iteration), so a resumed run continues exactly as an uninterrupted one would.
 */
public final class DetectorTrainer {
    /** Receives progress; called on the training thread. */
    public interface Listener {
        void onIteration(IterationStats stats);

        default void onCheckpoint(long iterationsDone) {}
    }

    private final TrainingConfig config;

    public DetectorTrainer(TrainingConfig config) {
        this.config = config;
    }

    /**
     * Trains {@code model} on {@code data} for the configured iterations.
     *
     * @param loaderConfig the loader's sizes, flip and normalisation (its seed is replaced by the training seed)
     * @param checkpoints  where checkpoints go; with {@code resume}, where the run continues from
     * @return the losses of the iterations run in this call
     * @throws TrainingDivergedException when a loss is NaN or infinite (no update or checkpoint is written)
     */
    public List<IterationStats> train(TrainableDetector model, Dataset data, LoaderConfig loaderConfig,
            Checkpoints checkpoints, boolean resume, Listener listener) throws IOException {
        List<Parameter> params = parameters(model);
        Sgd sgd = new Sgd(params, model.manager(), config.momentum(), config.weightDecay());
        String fingerprint = data.fingerprint();
        long start = checkpoints.start(resume, model, sgd, config.seed(), fingerprint);
        // Arrays read from a file (a checkpoint, pre-trained weights) come without gradient buffers.
        for (Parameter p : params) {
            if (p.requiresGradient() && !p.getArray().hasGradient()) p.getArray().setRequiresGradient(true);
        }
        long total = config.iterations();
        LearningRateSchedule schedule = config.schedule();
        try (DetectionLoader loader = new DetectionLoader(data, batches(loaderConfig, config))) {
            Iterator<DetectionBatch> batches = loader.iterations(start, Math.max(0, total - start));
            SgdLoop.Objective objective = (ps, sub, iter) -> {
                DetectionBatch batch = batches.next();
                NDArray x = NativeFloats.input(sub, batch);
                return new SgdLoop.Loss(model.computeLosses(ps, x, batch.images(), random(iter)), batch.size());
            };
            SgdLoop.Checkpointer save = checkpoints.checkpointer(model, sgd, config.seed(), fingerprint);
            return new SgdLoop(sgd, model.manager(), schedule::at).run(start, total, objective, config.checkpointEvery(), save,
                    start > 0 ? checkpoints.dir().toString() : null, listener);
        }
    }

    /** The loader settings of a run: {@code loaderConfig} with the run's seed, batch size and flip probability. */
    static LoaderConfig batches(LoaderConfig loaderConfig, TrainingConfig config) {
        return loaderConfig.withSeed(config.seed()).withBatchSize(config.imagesPerBatch())
                .withFlipProbability(config.flipProbability());
    }

    /** The sampling randomness of iteration {@code iter}: a pure function of (seed, iteration). */
    private SplittableRandom random(long iter) {
        return new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + iter);
    }

    /** Every parameter of the model's blocks, in save order. */
    static List<Parameter> parameters(TrainableDetector model) {
        List<Parameter> params = new ArrayList<>();
        for (Block b : model.blocks().values()) {
            for (Pair<String, Parameter> p : b.getParameters()) params.add(p.getValue());
        }
        return params;
    }
}
