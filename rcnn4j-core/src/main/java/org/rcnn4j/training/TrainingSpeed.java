package org.rcnn4j.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.modeling.NativeFloats;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.DetectionLoader;
import org.rcnn4j.preprocess.LoaderConfig;

/**
 * A training iteration's wall time against the backbone's own forward and backward pass on the same
 * batches: what the detector adds to training a classifier of the same network (the RPN, anchor and
 * RoI sampling, RoI pooling, the head, SGD). Both are timed in one run, the iteration by the real
 * {@link DetectorTrainer} loop and the backbone on the batches that loop saw.
 */
public final class TrainingSpeed {
    private TrainingSpeed() {}

    /**
     * @param iterations    iterations timed (after the warm-up)
     * @param imagesPerBatch images per iteration
     * @param iterationMs   mean wall time of one training iteration: batch, forward, losses, backward, SGD step
     * @param backboneMs    mean wall time of {@link DetectorModel#backboneMaps} forward plus backward on the same batches
     */
    public record Result(int iterations, int imagesPerBatch, double iterationMs, double backboneMs) {
        /** Iteration time over backbone time (≥ 1 unless timing noise dominates). */
        public double ratio() {
            return iterationMs / backboneMs;
        }
    }

    /**
     * Runs {@code warmup + timed} training iterations of {@code model} (its weights change, as in
     * training; no checkpoint is written), then the backbone's forward and backward on the same
     * batches.
     *
     * @param training the solver; its iteration count is replaced by {@code warmup + timed}
     * @param warmup   iterations run before timing (at least 1)
     */
    public static Result measure(DetectorModel model, Dataset data, TrainingConfig training, int warmup, int timed)
            throws IOException {
        if (warmup < 1 || timed < 1) throw new IllegalArgumentException("need at least 1 warm-up and 1 timed iteration");
        TrainingConfig run = training.withIterations(warmup + timed).withCheckpointEvery(0);
        LoaderConfig loaderConfig = DetectorTraining.loaderConfig(model.config(), run);
        long[] stamps = new long[warmup + timed];
        Path scratch = Files.createTempDirectory("rcnn4j-training-speed");
        try {
            new DetectorTrainer(run).train(model, data, loaderConfig,
                    new Checkpoints(scratch), false, stats -> stamps[(int) stats.iteration()] = System.nanoTime());
        } finally {
            DetectorTraining.deleteRecursively(scratch);
        }
        double iterationMs = (stamps[warmup + timed - 1] - stamps[warmup - 1]) / 1e6 / timed;

        ParameterStore ps = new ParameterStore(model.manager(), false);
        long backboneNanos = 0;
        try (DetectionLoader loader = new DetectionLoader(data, DetectorTrainer.batches(loaderConfig, run))) {
            Iterator<DetectionBatch> batches = loader.iterations(warmup + timed);
            for (int i = 0; i < warmup + timed; i++) {
                DetectionBatch batch = batches.next();
                long t0 = System.nanoTime();
                try (NDManager sub = model.manager().newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList maps = model.backboneMaps(ps, NativeFloats.input(sub, batch), true);
                    // The sum's gradient is 1 everywhere: one full backward pass through every map.
                    NDArray total = maps.get(0).sum();
                    for (int k = 1; k < maps.size(); k++) total = total.add(maps.get(k).sum());
                    gc.backward(total);
                }
                if (i >= warmup) backboneNanos += System.nanoTime() - t0;
            }
        }
        return new Result(timed, run.imagesPerBatch(), iterationMs, backboneNanos / 1e6 / timed);
    }
}
