package org.rcnn4j.training;

import org.rcnn4j.detector.TrainableDetector;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.DetectionLoader;
import org.rcnn4j.preprocess.LoaderConfig;

/**
 * The SGD loop shared by the detectors: one sub-manager and one gradient collector per iteration,
 * the loss as named terms, a NaN/Inf check before any update, checkpoints every N iterations and
 * resume from the last one. Deterministic: batch content and every sampling draw are functions of
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
        long start = resume && checkpoints.latestIteration().isPresent() ? checkpoints.restore(model, sgd, config.seed()) : 0;
        // Arrays read from a file (a checkpoint, pre-trained weights) come without gradient buffers.
        for (Parameter p : params) {
            if (p.requiresGradient() && !p.getArray().hasGradient()) p.getArray().setRequiresGradient(true);
        }
        long total = config.iterations();
        LearningRateSchedule schedule = config.schedule();
        ParameterStore ps = new ParameterStore(model.manager(), false);
        List<IterationStats> history = new ArrayList<>();
        String lastCheckpoint = start > 0 ? checkpoints.dir().toString() : null;
        try (DetectionLoader loader = new DetectionLoader(data, batches(loaderConfig, config))) {
            Iterator<DetectionBatch> batches = loader.iterations(start, Math.max(0, total - start));
            long begin = System.nanoTime();
            long images = 0;
            for (long iter = start; iter < total; iter++) {
                DetectionBatch batch = batches.next();
                float lr = schedule.at(iter);
                sgd.zeroGradients();
                Map<String, Float> values;
                float loss;
                try (NDManager sub = model.manager().newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
                    LossTerms terms = model.computeLosses(ps, x, batch.images(), random(iter));
                    NDArray sum = terms.total();
                    values = terms.values();
                    loss = sum.getFloat();
                    if (!Float.isFinite(loss)) throw new TrainingDivergedException(iter, values, lastCheckpoint);
                    gc.backward(sum);
                }
                sgd.step(lr);
                images += batch.size();
                double seconds = (System.nanoTime() - begin) / 1e9;
                double ips = images / Math.max(seconds, 1e-9);
                double eta = (total - iter - 1) * (seconds / (iter - start + 1));
                IterationStats stats = new IterationStats(iter, total, values, loss, lr, ips, eta);
                history.add(stats);
                listener.onIteration(stats);
                long done = iter + 1;
                if (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0 && done < total) {
                    checkpoints.save(model, sgd, done, config.seed());
                    lastCheckpoint = checkpoints.dir().toString();
                    listener.onCheckpoint(done);
                }
            }
        }
        return history;
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
