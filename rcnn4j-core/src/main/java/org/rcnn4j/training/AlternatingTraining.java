package org.rcnn4j.training;

import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.rcnn4j.detector.DetectorKind;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.preprocess.LoaderConfig;

/**
 * Trains Faster R-CNN by the paper's 4-step alternating training (Faster R-CNN §3.2), the library's
 * equivalent of {@code rcnn4j train --schedule alternating}:
 * <ol>
 *   <li>train an RPN network (backbone + RPN head) end to end on the RPN loss;</li>
 *   <li>train a separate detection network (a second backbone, initialised exactly as step 1's:
 *       same seed, or the same pre-trained weights; box head) by Fast R-CNN on the proposals of the
 *       step-1 RPN, held fixed; the two networks share no layers yet;</li>
 *   <li>on the detection network's backbone, now fixed, train its RPN head alone (the detection
 *       network has no RPN layers of its own, so they start from their initialisation, as
 *       py-faster-rcnn's stage-2 RPN does);</li>
 *   <li>with the shared backbone and the step-3 RPN fixed, fine-tune the box head of step 2 on the
 *       step-3 RPN's proposals.</li>
 * </ol>
 * The result is one {@link FasterRcnn}: backbone from step 2, RPN head from step 3, box head from
 * step 4, saved as an ordinary model directory whose training facts record
 * {@code "schedule": "alternating"} and the iterations and seconds of each step.
 *
 * <p>A budget of N iterations is split 1/3, 1/6, 1/3, 1/6 over the steps, the proportions of
 * py-faster-rcnn's alternating solvers for ZF and VGG16 on VOC ({@code max_iters = [80000, 40000,
 * 80000, 40000]} in {@code tools/train_faster_rcnn_alt_opt.py}); each step runs the configured
 * schedule (warm-up scaled to its length, rate drops at the same fractions). Frozen layers get no
 * gradient, so {@link Sgd} neither moves nor decays them (py-faster-rcnn: {@code lr_mult: 0,
 * decay_mult: 0}).
 *
 * <p>Checkpoints: each finished step saves the network the next step needs, and each step
 * checkpoints within itself as {@link DetectorTrainer} does; a resume skips the finished steps and
 * continues the current one where it stopped.
 */
public final class AlternatingTraining {
    /** The four steps, with their share of the iteration budget (in sixths). */
    public enum Step {
        RPN(1, 2, "rpn", "RPN: backbone and RPN head"),
        FAST_RCNN(2, 1, "fast-rcnn", "Fast R-CNN: a separate backbone and box head on the step-1 RPN's proposals"),
        SHARED_RPN(3, 2, "shared-rpn", "RPN head on the step-2 backbone, shared layers fixed"),
        SHARED_FAST_RCNN(4, 1, "shared-fast-rcnn", "box head on the step-3 RPN's proposals, shared layers fixed");

        private final int number;
        private final int sixths;
        private final String stageName;
        private final String description;

        Step(int number, int sixths, String stageName, String description) {
            this.number = number;
            this.sixths = sixths;
            this.stageName = stageName;
            this.description = description;
        }

        /** The step's name as a {@link TrainingStage}. */
        public String stageName() {
            return stageName;
        }

        /** 1..4, the paper's numbering. */
        public int number() {
            return number;
        }

        /** What the step trains, in a few words. */
        public String description() {
            return description;
        }
    }

    private AlternatingTraining() {}

    /** Whether {@code modelDir} holds the checkpoint of an interrupted alternating run. */
    public static boolean hasCheckpoint(java.nio.file.Path modelDir) {
        return PipelineState.exists(modelDir, DetectorKind.ALTERNATING);
    }

    /**
     * The iterations of steps 1..4 for a budget of {@code total}: 1/3, 1/6, 1/3 rounded, the rest to
     * step 4 (400, 200, 400, 200 for 1200).
     *
     * @throws IllegalArgumentException when {@code total} is below 6 (a step would get no iteration)
     */
    public static long[] stepIterations(long total) {
        long[] n = new long[4];
        long sum = 0;
        for (Step s : Step.values()) {
            if (s.number == 4) break;
            n[s.number - 1] = Math.round(total * s.sixths / 6.0);
            sum += n[s.number - 1];
        }
        n[3] = total - sum;
        for (long k : n) {
            if (k < 1) throw new IllegalArgumentException("alternating training needs at least 6 iterations, got " + total);
        }
        return n;
    }

    /**
     * Runs the four steps (or, with {@code r.resume()}, what is left of them), then validates and
     * saves the model directory as {@link DetectorTraining#run} does.
     *
     * @param listener    per-iteration progress (iterations counted within the step) and step changes
     * @param valProgress validated-image count, or null
     * @return the history with iterations counted over the whole run, the wall time of this call, the
     *         validation figures
     * @throws org.rcnn4j.io.BadInputException when resuming from a checkpoint of another seed, budget or schedule
     * @throws IllegalArgumentException when the request is not for Faster R-CNN (the schedule needs an RPN and
     *         a Fast R-CNN head on one shared map)
     */
    public static DetectorTraining.Outcome run(DetectorTraining.Request r, TrainingListener listener, IntConsumer valProgress)
            throws IOException {
        if (!(DetectorTraining.configFor(r) instanceof FasterRcnnConfig config)) {
            throw new IllegalArgumentException("alternating training is for faster-rcnn, not " + r.kind().name());
        }
        TrainingConfig t = r.training();
        long[] iterations = stepIterations(t.iterations());
        LoaderConfig loader = DetectorTraining.loaderConfig(config, t);
        Files.createDirectories(r.out());
        PipelineState state = new PipelineState(r.out(), DetectorKind.ALTERNATING, t.seed(), r.train().fingerprint(), iterations);
        long start = System.nanoTime();
        try (FasterRcnn rpnNet = FasterRcnn.create(config, t.seed(), r.backboneWeights());
                FasterRcnn detNet = FasterRcnn.create(config, t.seed(), r.backboneWeights())) {
            int done = r.resume() ? state.stagesDone() : 0;
            if (done > 0) state.load(done == 1 ? rpnNet : detNet);
            List<TrainingStage> stages = new ArrayList<>();
            for (Step step : Step.values()) {
                long n = iterations[step.number - 1];
                FasterRcnn network = step == Step.RPN ? rpnNet : detNet;
                stages.add(new SgdStage(step.stageName(), step.description(), network, view(step, rpnNet, detNet),
                        () -> prepare(step, rpnNet, detNet), stepConfig(t, step, n), r.train(), loader, state.checkpoints(step.number())));
            }
            TrainingPipeline.Record record = state.record(number -> number == 1 ? rpnNet : detNet);
            TrainingPipeline.Result result = TrainingPipeline.run(stages, record, r.resume(), listener);
            double total = (System.nanoTime() - start) / 1e9;
            Map<String, Object> facts = DetectorTraining.facts(r, DetectorKind.ALTERNATING, total);
            facts.put("step_iterations", iterations);
            facts.put("step_seconds", result.seconds());
            Map<String, Double> val = DetectorTraining.validateAndSave(r, detNet, facts, valProgress);
            return new DetectorTraining.Outcome(config, result.history(), total, val);
        }
    }

    /** The view step {@code step}'s trainer runs on: the loss terms it minimises, over which network. */
    static TrainableDetector view(Step step, FasterRcnn rpnNet, FasterRcnn detNet) {
        return switch (step) {
            case RPN -> new RpnOnly(rpnNet);
            case FAST_RCNN -> new FastRcnnOnProposals(detNet, rpnNet);
            case SHARED_RPN -> new RpnOnly(detNet);
            case SHARED_FAST_RCNN -> new FastRcnnOnProposals(detNet, detNet);
        };
    }

    /** Sets which blocks learn in {@code step}; the others are frozen. */
    static void prepare(Step step, FasterRcnn rpnNet, FasterRcnn detNet) {
        switch (step) {
            case RPN -> {
                learns(rpnNet.backbone(), true);
                learns(rpnNet.rpn().head(), true);
            }
            case FAST_RCNN -> {
                learns(rpnNet.backbone(), false);
                learns(rpnNet.rpn().head(), false);
                learns(detNet.backbone(), true);
                learns(detNet.roiHeads().weights(), true);
            }
            case SHARED_RPN -> {
                learns(detNet.backbone(), false);
                learns(detNet.rpn().head(), true);
            }
            case SHARED_FAST_RCNN -> {
                learns(detNet.backbone(), false);
                learns(detNet.rpn().head(), false);
                learns(detNet.roiHeads().weights(), true);
            }
        }
    }

    private static void learns(Block block, boolean on) {
        block.freezeParameters(!on);
    }

    /**
     * The solver of one step: the run's settings for {@code n} iterations, the warm-up scaled to the
     * step's share, and a seed of its own so that the steps do not replay the same batches.
     */
    static TrainingConfig stepConfig(TrainingConfig t, Step step, long n) {
        int warmup = (int) Math.round((double) t.warmupIterations() * n / t.iterations());
        long seed = t.seed() ^ (step.number * 0x9E3779B97F4A7C15L);
        return t.withIterations(n).withWarmup(warmup).withSeed(seed);
    }
}
