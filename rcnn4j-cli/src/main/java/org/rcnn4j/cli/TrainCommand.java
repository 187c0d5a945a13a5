package org.rcnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.ConfigFiles;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.SvmDetectorConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.detector.DetectorKind;
import org.rcnn4j.detector.DetectorKinds;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.PretrainedHead;
import org.rcnn4j.detector.Rcnn;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.roiheads.C5Head;
import org.rcnn4j.pretrain.ShippedWeights;
import org.rcnn4j.proposals.ProposalSource;
import org.rcnn4j.training.DetectorTraining;
import org.rcnn4j.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j train}: trains a detector into a model directory. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a detector on COCO JSON or Pascal VOC data into a model directory.",
            "Without --config, the image scale and anchor sizes are planned from the training objects' sizes.",
            "With only --data, --val, --out and --backbone tiny: the shipped pre-trained tiny, at least 3000 iterations "
                    + "(4500 for fast-rcnn), flips, and scale jitter about the planned scale s (s-64, s, s+64 at s = 416; "
                    + "tested at s, fast-rcnn at the largest); no crops or colour jitter (they measured cost accuracy on small "
                    + "sets). On 200 shapes images of three seeds that gave val voc07 0.85 to 0.90 in 6 to 10 minutes on 2 "
                    + "cores (bench/results/small_data_defaults.md)."
        })
final class TrainCommand implements Callable<Integer> {
    static final List<String> SCHEDULES = List.of(DetectorKind.JOINT, DetectorKind.ALTERNATING, Rcnn.MULTI_STAGE);

    @Spec CommandSpec spec;

    @Option(names = "--detector", defaultValue = "faster-rcnn", description = "Detector (this build: ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}).",
            completionCandidates = DetectorNames.class)
    String detector;

    @Option(names = "--schedule", paramLabel = "joint|alternating|multi-stage",
            description = "Faster R-CNN training (§3.2): joint (approximate joint training) or alternating (the 4-step "
                    + "alternating training: RPN, Fast R-CNN, RPN on the shared layers, Fast R-CNN head; the iterations "
                    + "split 1/3, 1/6, 1/3, 1/6). R-CNN and SPP-net train by multi-stage (fine-tuning for --iterations, "
                    + "features, SVMs, box regressors). Default: the detector's first (joint; multi-stage for r-cnn "
                    + "and spp-net).")
    String schedule;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Training data: COCO JSON or VOC directory.")
    Path data;

    @Option(names = "--split", paramLabel = "S", description = "VOC split of --data (default: trainval, else train).")
    String split;

    @Option(names = "--val", paramLabel = "DATA", description = "Validation data, evaluated after training.")
    Path val;

    @Option(names = "--val-split", paramLabel = "S", description = "VOC split of --val.")
    String valSplit;

    @Option(names = "--proposals", paramLabel = "FILE", description = "Region proposals of the --data images, for a detector on given proposals (r-cnn, spp-net, fast-rcnn; default: selective search, fast mode, run on each image once).")
    Path proposals;

    @Option(names = "--val-proposals", paramLabel = "FILE", description = "Region proposals of the --val images (r-cnn, spp-net, fast-rcnn with --val; default: selective search).")
    Path valProposals;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "Model config JSON (as in a model directory's model.json \"config\").")
    Path config;

    @Option(names = "--roi-head", paramLabel = "fc|c5", description = "RoI head of faster-rcnn and fast-rcnn: fc (fc6 and fc7, the papers'; the default unless --config says otherwise) or c5 (the backbone's conv5_x stage on each pooled RoI, then global average pooling: He et al. 2016, Appendix A; ResNet backbones; slower per iteration).")
    String roiHead;

    /** The backbone without --backbone and --backbone-weights. */
    static final String DEFAULT_BACKBONE = "resnet18-w0.5";

    @Option(names = "--backbone", description = "Backbone (default: that of --backbone-weights, else " + DEFAULT_BACKBONE + "; one of: tiny, zf, resnet18, resnet18-w0.5, resnet18-w0.25, resnet50, resnet50-frozen-bn, vgg16).")
    String backbone;

    @Option(names = "--backbone-weights", paramLabel = "FILE", description = "Pre-trained backbone weights from 'rcnn4j pretrain'. "
            + "Default for tiny: the weights rcnn4j ships (tiny pre-trained on Fashion-MNIST labels); the other backbones start "
            + "from random weights unless given some.")
    Path backboneWeights;

    @Option(names = "--from-scratch", description = "Start even a backbone that rcnn4j ships pre-trained (tiny) from random weights.")
    boolean fromScratch;

    @Option(names = "--iterations", paramLabel = "N", description = "SGD iterations (default: 6 per training image, 3000 to 30000 "
            + "(4500 to 30000 for fast-rcnn); small sets need the passes).")
    Long iterations;

    @Option(names = "--svm-images", paramLabel = "N", description = "r-cnn, spp-net: train the SVMs and box regressors "
            + "(and spp-net's fc layers) on the features of the first N training images (default: all; the features of "
            + "every region are cached on disk).")
    Integer svmImages;

    @Option(names = "--lr", paramLabel = "X", description = "Base learning rate (default: 0.02 with 2 images per batch; "
            + "0.04 from the shipped tiny, where it measured better, except for fast-rcnn; 0.003 for spp-net, whose fc "
            + "layers alone learn, on raw max-pooled features).")
    Float lr;

    @Option(names = "--warmup", paramLabel = "N", description = "Iterations of the linear warm-up, over which the rate rises "
            + "from 0.001 of the base to the base (default: a tenth of --iterations, at most 200). A run that diverges in "
            + "its first iterations needs a longer one, or a lower --lr.")
    Integer warmup;

    @Option(names = "--images-per-batch", defaultValue = "2", description = "Images per iteration (default: ${DEFAULT-VALUE}).")
    int imagesPerBatch;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--from", paramLabel = "MODEL_DIR", description = "Fine-tune a trained model (one of rcnn4j's, or torchvision's "
            + "after 'rcnn4j import') on --data: its detector, config and weights, with the class predictor re-initialised "
            + "for --data's classes when they differ from the model's.")
    Path from;

    @Option(names = "--resume", description = "Continue from MODEL_DIR's last checkpoint (same data and seed).")
    boolean resume;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Write a checkpoint every N iterations, for "
            + "--resume (0: none before the end; default: a fifth of the run, at least 100 and at most 1000).")
    Integer checkpointEvery;

    @Option(names = "--skip-bad", description = "Skip and count bad annotation records and unreadable images.")
    boolean skipBad;

    @Mixin AugmentationOptions augmentation;

    /** Whether {@link #backboneWeights} are the ones rcnn4j ships. */
    private boolean shipped;

    /** Options that --from's model directory decides. */
    private static final List<String> DECIDED_BY_FROM = List.of("--detector", "--config", "--backbone", "--backbone-weights",
            "--from-scratch", "--roi-head", "--svm-images", "--resume");

    @Override
    public Integer call() throws Exception {
        ModelDirectory.Description start = null;
        if (from != null) {
            for (String o : DECIDED_BY_FROM) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new UsageException(o + ": --from " + from + " decides it (its model's); drop " + o);
                }
            }
            start = ModelDirectory.describe(from);
            detector = start.detector();
        }
        DetectorKind kind = DetectorKinds.find(detector).orElseThrow(() -> new UsageException(
                "--detector: '" + detector + "' is not available in this build; available: " + DetectorKinds.names()));
        if (schedule == null) schedule = kind.schedules().get(0);
        if (!SCHEDULES.contains(schedule)) {
            throw new UsageException("--schedule: expected one of " + SCHEDULES + ", got '" + schedule + "'");
        }
        if (!kind.schedules().contains(schedule)) {
            throw new UsageException("--schedule " + schedule + ": --detector " + detector + " trains by " + kind.schedules());
        }
        if (from != null && !schedule.equals(DetectorKind.JOINT)) {
            throw new UsageException("--schedule " + schedule + ": --from fine-tunes by joint training only");
        }
        if (svmImages != null && !SvmDetectorConfig.class.isAssignableFrom(kind.configClass())) {
            throw new UsageException("--svm-images: only r-cnn and spp-net train SVMs, not " + kind.name());
        }
        if (imagesPerBatch < 1) throw new UsageException("--images-per-batch: expected a positive number, got " + imagesPerBatch);
        if (lr != null && !(lr > 0 && Float.isFinite(lr))) {
            throw new UsageException("--lr: expected a positive learning rate, got " + lr);
        }
        if (backbone != null && !Backbones.NAMES.contains(backbone)) {
            throw new UsageException("--backbone: unknown '" + backbone + "'; one of " + Backbones.NAMES);
        }
        ProposalsOption.check(kind.name(), kind.takesProposals(), proposals, "--proposals");
        if (val != null) ProposalsOption.check(kind.name(), kind.takesProposals(), valProposals, "--val-proposals");
        else if (valProposals != null) throw new UsageException("--val-proposals: there is no --val");
        BoxHeadType head = boxHead();
        if (fromScratch && backboneWeights != null) throw new UsageException("--from-scratch: --backbone-weights gives a start");
        DetectorConfig fileConfig = start != null ? start.config() : config == null ? null : ConfigFiles.read(config, kind.configClass());
        String named = backbone != null ? backbone : fileConfig != null ? fileConfig.backbone() : null;
        if (from == null && backboneWeights == null && !fromScratch && named != null && ShippedWeights.has(named)) {
            backboneWeights = ShippedWeights.file(named).orElseThrow();
            shipped = true;
        }
        String backboneName = backboneWeights != null ? PretrainedBackbone.check(backboneWeights, backbone, fileConfig)
                : backbone != null ? backbone : DEFAULT_BACKBONE;
        if (head != null) checkBoxHead(kind, head, backboneName);
        checkOutput();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ReadOptions read = skipBad ? ReadOptions.skipping() : ReadOptions.strict();
        ReadResult trainRead = DatasetReader.read(data, split, read);
        EvalCommand.reportSkipped(trainRead, err);
        Dataset train = trainRead.dataset();
        Dataset valSet = null;
        if (val != null) {
            ReadResult valRead = DatasetReader.read(val, valSplit, read);
            EvalCommand.reportSkipped(valRead, err);
            valSet = valRead.dataset();
        }
        long its = iterations != null ? iterations : kind.minIterations() != null
                ? TrainingConfig.defaultIterations(train.images().size(), kind.minIterations())
                : TrainingConfig.defaultIterations(train.images().size());
        if (its < 1) throw new UsageException("--iterations: expected a positive number, got " + its);
        if (schedule.equals(DetectorKind.ALTERNATING) && its < 6) {
            throw new UsageException("--iterations: alternating training needs at least 6, got " + its);
        }
        TrainingConfig tc = TrainingConfig.defaults(its, seed).withImagesPerBatch(imagesPerBatch);
        if (checkpointEvery != null) {
            if (checkpointEvery < 0) throw new UsageException("--checkpoint-every: expected 0 or more iterations, got " + checkpointEvery);
            tc = tc.withCheckpointEvery(checkpointEvery);
        }
        if (warmup != null) {
            if (warmup < 0 || warmup > its) {
                throw new UsageException("--warmup: expected 0 to " + its + " iterations (the run's), got " + warmup);
            }
            tc = tc.withWarmup(warmup);
        }
        if (lr != null) tc = tc.withBaseLr(lr);
        else if (kind.baseLr() != null) tc = tc.withBaseLr(kind.baseLr());
        else if (shipped) tc = tc.withBaseLr(ShippedWeights.FINE_TUNE_LR);
        ProposalSource trainProposals = kind.takesProposals() ? ProposalsOption.source(proposals, train) : null;
        ProposalSource valSource = kind.takesProposals() && valSet != null ? ProposalsOption.source(valProposals, valSet) : null;
        DetectorConfig modelConfig = head == null ? fileConfig
                : withBoxHead(fileConfig != null ? fileConfig : kind.plan(backboneName, train), head);
        if (svmImages != null) modelConfig = withSvmImages(modelConfig != null ? modelConfig : kind.plan(backboneName, train));
        if (augmentation.given()) {
            modelConfig = augmentation.apply(modelConfig != null ? modelConfig : kind.plan(backboneName, train));
        }
        DetectorTraining.Request request = new DetectorTraining.Request(kind, train, valSet, out, modelConfig, backboneName,
                backboneWeights, tc, resume, trainProposals, valSource, from);
        DetectorConfig planned = DetectorTraining.configFor(request);
        err.printf(Locale.ROOT, "training %s (%s, %s) on %d images, %d classes: %d iterations of %d images, %s%n",
                kind.name(), planned.backbone(), schedule, train.images().size(), train.numClasses(), its, imagesPerBatch,
                planned.summary());
        err.printf(Locale.ROOT, "augmentation: %s, flip %.2g%n", describe(planned.input()), tc.flipProbability());
        if (shipped) err.printf(Locale.ROOT, "backbone: %s pre-trained on Fashion-MNIST labels, shipped with rcnn4j "
                + "(--from-scratch starts from random weights); base lr %s%n", planned.backbone(), tc.baseLr());
        if (backboneWeights != null) err.println("box head: " + PretrainedHead.describe(planned, backboneWeights));
        if (start != null) {
            err.printf(Locale.ROOT, "fine-tuning %s: %s%n", from, start.categories().equals(train.categories())
                    ? "its classes are --data's, every weight carries over"
                    : "its " + start.categories().size() + " classes become --data's " + train.numClasses()
                            + ", the class predictor starts fresh");
        }
        err.flush();
        TrainingProgress progress = new TrainingProgress(err, System.console() != null);
        int valImages = valSet == null ? 0 : valSet.images().size();
        // Created at the first validated image, so that its rate and ETA do not count training time
        // (nor that image, whose time it did not see).
        Progress[] valProgress = new Progress[1];
        IntConsumer onValidated = n -> {
            if (valProgress[0] == null) valProgress[0] = new Progress(err, "validating", valImages, "images").startingAt(n);
            valProgress[0].advanceTo(n);
        };
        DetectorTraining.Outcome outcome = DetectorTraining.run(request, schedule, progress, onValidated);
        if (valProgress[0] != null) valProgress[0].close();
        LossCurve.write(outcome.history(), out.resolve("loss.png"));
        stdout.printf(Locale.ROOT, "trained in %s; model: %s%n", Progress.formatSeconds(outcome.seconds()), out);
        for (Map.Entry<String, Double> e : outcome.val().entrySet()) {
            stdout.printf(Locale.ROOT, "  val %-9s %.4f%n", e.getKey(), e.getValue());
        }
        stdout.flush();
        return 0;
    }

    /** The training scales and augmentation of {@code input}, for the log. */
    static String describe(InputConfig input) {
        int[] scales = input.trainScales();
        String s = scales.length == 1 && scales[0] == input.shortSide() ? "single scale"
                : "scales " + Arrays.toString(scales) + " (max " + input.maxSize() + ")";
        return s + ", " + input.augmentation().describe();
    }

    /** {@code config} training its SVMs on the first {@code --svm-images} images. */
    private DetectorConfig withSvmImages(DetectorConfig config) {
        if (!(config instanceof SvmDetectorConfig c)) throw new UsageException("--svm-images: only r-cnn and spp-net train SVMs");
        if (svmImages < 1) throw new UsageException("--svm-images: expected a positive number, got " + svmImages);
        return c.withSvm(c.svm().withImages(svmImages));
    }

    /** --roi-head as a box head type, or null when not given. */
    private BoxHeadType boxHead() {
        if (roiHead == null) return null;
        try {
            return BoxHeadType.of(roiHead);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--roi-head: " + e.getMessage());
        }
    }

    /** --roi-head names a head the detector and the backbone can have. */
    private static void checkBoxHead(DetectorKind kind, BoxHeadType head, String backboneName) {
        String why = kind.refusesBoxHead(head);
        if (why == null && head == BoxHeadType.C5) {
            why = C5Head.unsuitable(Backbones.create(backboneName));
            if (why != null) why += "; use a ResNet backbone";
        }
        if (why != null) throw new UsageException("--roi-head " + head + ": " + why);
    }

    /** {@code config} with the box head {@code head}, checked. */
    private static DetectorConfig withBoxHead(DetectorConfig config, BoxHeadType head) {
        if (!(config instanceof RoiHeadConfig c)) throw new UsageException("--roi-head " + head + ": the detector has no box head");
        DetectorConfig changed = c.withRoi(c.roi().withHead(head));
        try {
            changed.validate();
        } catch (ConfigException e) {
            throw new UsageException("--roi-head " + head + ": " + e.getMessage());
        }
        return changed;
    }

    /** A new run needs an empty or absent MODEL_DIR; a resume needs one with a checkpoint. */
    private void checkOutput() throws IOException {
        boolean exists = Files.isDirectory(out);
        if (resume) {
            String found = DetectorTraining.checkpointSchedule(out).orElseThrow(
                    () -> new UsageException("--resume: " + out + " has no checkpoint to resume from"));
            if (!found.equals(schedule)) {
                throw new UsageException("--resume: " + out + " holds a checkpoint of " + found
                        + " training; resume with --schedule " + found);
            }
        } else if (exists && !isEmpty(out)) {
            throw new UsageException(out + ": not empty; choose another --out, or pass --resume to continue its training");
        }
        if (Files.exists(out) && !exists) throw new UsageException(out + ": exists and is not a directory");
        OutputPaths.checkDirectory(out, "--out");
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** picocli completion candidates for --detector. */
    static final class DetectorNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DetectorKinds.names().iterator();
        }
    }
}
