package org.rcnn4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.detector.DatasetDetector;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.DetectorKind;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.FineTuning;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.PretrainedHead;
import org.rcnn4j.detector.Rcnn;
import org.rcnn4j.evaluation.CocoEvaluation;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.VocEvaluation;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.io.ResidentMemory;
import org.rcnn4j.preprocess.LoaderConfig;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.proposals.ProposalSource;

/**
 * Trains a detector end to end into a model directory, then evaluates it on a validation set: the
 * library's equivalent of {@code rcnn4j train --detector KIND}. For Faster R-CNN this is
 * approximate joint training (Faster R-CNN §3.2); the paper's other schedule, 4-step alternating
 * training, is {@link AlternatingTraining}.
 */
public final class DetectorTraining {
    /**
     * @param kind            the detector
     * @param train           training data
     * @param val             validation data (may be null)
     * @param out             the model directory to write
     * @param config          the model, or null for the kind's data-planned config ({@link DetectorKind#plan})
     * @param backbone        backbone name when {@code config} is null
     * @param backboneWeights pre-trained backbone weights, or null
     * @param training        solver settings
     * @param resume          continue from {@code out}'s checkpoint
     * @param proposals       the training images' proposals, for a detector that takes them ({@link DetectorKind#takesProposals}); else null
     * @param valProposals    the validation images' proposals, likewise
     * @param from            a model directory whose weights start the model ({@link FineTuning}: all but
     *                        the class predictor's when the classes differ), or null; {@code config} is
     *                        then its config
     */
    public record Request(DetectorKind kind, Dataset train, Dataset val, Path out, DetectorConfig config, String backbone,
            Path backboneWeights, TrainingConfig training, boolean resume, ProposalSource proposals,
            ProposalSource valProposals, Path from) {

        /** A request starting from the backbone's weights (or none), not from a trained model. */
        public Request(DetectorKind kind, Dataset train, Dataset val, Path out, DetectorConfig config, String backbone,
                Path backboneWeights, TrainingConfig training, boolean resume, ProposalSource proposals,
                ProposalSource valProposals) {
            this(kind, train, val, out, config, backbone, backboneWeights, training, resume, proposals, valProposals, null);
        }

        /** A request for a detector that makes its own proposals. */
        public Request(DetectorKind kind, Dataset train, Dataset val, Path out, DetectorConfig config, String backbone,
                Path backboneWeights, TrainingConfig training, boolean resume) {
            this(kind, train, val, out, config, backbone, backboneWeights, training, resume, null, null);
        }
    }

    /**
     * @param config   the model's config as trained
     * @param history  the iterations run by this call
     * @param seconds  wall time of training
     * @param val      validation figures (voc07 mAP, COCO AP...), empty without validation data
     */
    public record Outcome(DetectorConfig config, List<IterationStats> history, double seconds, Map<String, Double> val) {}

    /** The input normalisation of every trained model (ImageNet statistics, as the pre-trained backbones). */
    static final Normalize NORMALIZE = Normalize.imagenet();

    private DetectorTraining() {}

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    /**
     * The schedule whose checkpoint {@code modelDir} holds, for a resume: {@link DetectorKind#ALTERNATING}
     * when a step of alternating training is under way or done, {@link Rcnn#MULTI_STAGE} for R-CNN's
     * stages, {@link DetectorKind#JOINT} for a
     * checkpoint of joint training, empty without one.
     */
    public static java.util.Optional<String> checkpointSchedule(Path modelDir) throws IOException {
        if (AlternatingTraining.hasCheckpoint(modelDir)) return java.util.Optional.of(DetectorKind.ALTERNATING);
        if (PipelineState.exists(modelDir, Rcnn.MULTI_STAGE)) return java.util.Optional.of(Rcnn.MULTI_STAGE);
        if (new Checkpoints(modelDir).latestIteration().isPresent()) return java.util.Optional.of(DetectorKind.JOINT);
        return java.util.Optional.empty();
    }

    /** The config a request trains: its own, or the data-planned small config. */
    public static DetectorConfig configFor(Request r) {
        if (r.config() != null) return r.config().withNumClasses(r.train().numClasses());
        return r.kind().plan(r.backbone(), r.train());
    }

    /**
     * Trains by {@code schedule}, one of the kind's {@link DetectorKind#schedules()}: approximate joint
     * training ({@link #run(Request, DetectorTrainer.Listener, IntConsumer)}) or the 4-step alternating
     * one ({@link AlternatingTraining}).
     *
     * @throws IllegalArgumentException when the kind is not trained by {@code schedule}
     */
    public static Outcome run(Request r, String schedule, TrainingListener listener, IntConsumer valProgress)
            throws IOException {
        if (!r.kind().schedules().contains(schedule)) {
            throw new IllegalArgumentException("schedule " + schedule + ": " + r.kind().name() + " trains by "
                    + r.kind().schedules());
        }
        return switch (schedule) {
            case DetectorKind.ALTERNATING -> AlternatingTraining.run(r, listener, valProgress);
            case DetectorKind.JOINT -> run(r, listener, valProgress);
            case Rcnn.MULTI_STAGE -> RcnnTraining.run(r, listener, valProgress);
            default -> throw new IllegalArgumentException("unknown schedule " + schedule);
        };
    }

    /**
     * Approximate joint training (Faster R-CNN §3.2), one SGD stage over every loss term of the
     * detector, then validation and the model directory.
     */
    public static Outcome run(Request r, TrainingListener listener, IntConsumer valProgress) throws IOException {
        DetectorConfig config = configFor(r);
        Files.createDirectories(r.out());
        long resumedFrom = r.resume() ? new Checkpoints(r.out()).latestIteration().orElse(0L) : 0;
        long start = System.nanoTime();
        try (DetectorModel model = r.from() == null ? r.kind().create(config, r.training().seed(), r.backboneWeights())
                : FineTuning.start(r.from(), config, r.train().categories(), r.training().seed()).model()) {
            useProposals(model, r.proposals(), "training");
            SgdStage joint = new SgdStage(DetectorKind.JOINT, "every loss term of " + r.kind().name(), model, model, () -> {},
                    r.training(), r.train(), loaderConfig(config, r.training()), new Checkpoints(r.out()));
            List<IterationStats> history = TrainingPipeline.run(List.of(joint), TrainingPipeline.single(), r.resume(), listener)
                    .history();
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> facts = facts(r, DetectorKind.JOINT, seconds);
            // A resumed run's seconds, threads and peak memory are this process's: say where it took over.
            if (resumedFrom > 0) facts.put("resumed_from_iteration", resumedFrom);
            Map<String, Double> val = validateAndSave(r, model, facts, valProgress);
            return new Outcome(config, history, seconds, val);
        }
    }

    /**
     * Gives a detector on external proposals its source for the images ahead.
     *
     * @throws IllegalArgumentException when such a detector has no source, or another detector is given one
     */
    static void useProposals(DetectorModel model, ProposalSource source, String images) {
        if (model.externalProposals().isPresent()) {
            if (source == null) throw new IllegalArgumentException(model.kind() + " needs region proposals for the " + images + " images");
            model.externalProposals().get().useProposals(source);
        } else if (source != null) {
            throw new IllegalArgumentException(model.kind() + " makes its own region proposals; it takes none for the " + images + " images");
        }
    }

    /**
     * The training loader of a run: the config's scales and augmentation, ImageNet normalisation,
     * the solver's threads.
     */
    static LoaderConfig loaderConfig(DetectorConfig config, TrainingConfig training) {
        return LoaderConfig.fastRcnnTraining(training.seed())
                .withScales(config.input().maxSize(), config.input().trainScales())
                .withAugmentation(config.input().augmentation())
                .withNormalize(NORMALIZE)
                .withSizeDivisibility(config.input().sizeDivisibility())
                .withThreads(training.threads());
    }

    /**
     * The facts every run records in {@code model.json}'s {@code training}, taken when training has
     * finished: among them the process's peak resident memory so far ({@code peak_rss_bytes}, native
     * included; absent where the system does not say).
     */
    static Map<String, Object> facts(Request r, String schedule, double seconds) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("schedule", schedule);
        facts.put("iterations", r.training().iterations());
        facts.put("images_per_batch", r.training().imagesPerBatch());
        facts.put("base_lr", r.training().baseLr());
        facts.put("warmup_iterations", r.training().warmupIterations());
        facts.put("seed", r.training().seed());
        facts.put("train_images", r.train().images().size());
        facts.put("seconds", seconds);
        // What the speed figures ran on: libtorch's intra-op threads (RCNN4J_THREADS, or the default).
        facts.put("libtorch_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        long peak = ResidentMemory.peakBytes();
        if (peak >= 0) facts.put("peak_rss_bytes", peak);
        if (r.from() != null) facts.put("fine_tuned_from", r.from().toAbsolutePath().normalize().toString());
        if (r.backboneWeights() != null) {
            facts.put("backbone_weights", r.backboneWeights().toString());
            facts.put("box_head_start", PretrainedHead.describe(configFor(r), r.backboneWeights()));
        }
        return facts;
    }

    /**
     * Evaluates the trained model on the request's validation data (when given), records the figures
     * in {@code facts}, saves the model directory and removes the checkpoints it supersedes.
     *
     * @return the validation figures, empty without validation data
     */
    static Map<String, Double> validateAndSave(Request r, DetectorModel model, Map<String, Object> facts,
            IntConsumer valProgress) throws IOException {
        Map<String, Double> val = new LinkedHashMap<>();
        if (r.val() != null) {
            useProposals(model, r.valProposals(), "validation");
            ModelDirectory.Description d = new ModelDirectory.Description(model.kind(), r.train().categories(),
                    model.config(), NORMALIZE, null, facts);
            Detector detector = Detector.of(model, d);
            List<Detection> dets = DatasetDetector.detectAll(detector, r.val(), valProgress);
            VocEvaluation voc = new VocEvaluator().evaluate(r.val(), dets, VocMetric.VOC07);
            CocoEvaluation coco = CocoEvaluator.evaluate(r.val(), dets);
            val.put("voc07_mAP", voc.mAP());
            val.putAll(coco.statsByName());
            facts.put("val", val);
        }
        ModelDirectory.save(r.out(), model, r.train().categories(), NORMALIZE, facts);
        // The finished model supersedes its checkpoint, which would double the directory's size.
        deleteRecursively(new Checkpoints(r.out()).dir());
        return val;
    }
}
