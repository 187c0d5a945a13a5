package org.rcnn4j.cli;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rcnn4j.data.synth.FashionMnist;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.pretrain.BackbonePretrainer;
import org.rcnn4j.pretrain.PretrainConfig;
import org.rcnn4j.pretrain.PretrainProgress;
import org.rcnn4j.pretrain.PretrainResult;
import org.rcnn4j.pretrain.PretrainedInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j pretrain}: supervised pre-training of a backbone on image labels (R-CNN §2.3). */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description = {
            "Pre-train a backbone as an image classifier on Fashion-MNIST (R-CNN §2.3).",
            "Trains on the training items 0-49999, then reports accuracy on validation items 50000-.",
            "Writes FILE (weights) and FILE.json (backbone, image size, normalisation, accuracy);",
            "pass FILE to 'rcnn4j train --backbone-weights'. With --classifier box or spp, FILE also",
            "holds fc6 and fc7, which start the detector's head when their sizes match it (spp: SPP-net's).",
            "Needs: apt-get install dataset-fashion-mnist."
        })
final class PretrainCommand implements Callable<Integer> {
    /** The only --data this build pre-trains on. */
    static final String FASHION = "fashion";

    @Spec CommandSpec spec;

    @Option(names = "--backbone", required = true, paramLabel = "NAME", description = "Backbone: one of tiny, zf, resnet18, resnet18-w0.5, resnet18-w0.25, resnet50, vgg16.")
    String backbone;

    @Option(names = "--data", required = true, paramLabel = "fashion", description = "Training images: 'fashion' (Fashion-MNIST's training items).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Weights file to write (and FILE.json beside it).")
    Path out;

    @Option(names = "--iterations", paramLabel = "N", description = "SGD iterations of 32 images (default: 2 epochs).")
    Integer iterations;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the 50000 training items, instead of --iterations (may be fractional).")
    Double epochs;

    @Option(names = "--validation-items", defaultValue = "10000", paramLabel = "N", description = "Validation items 50000..50000+N-1 to measure accuracy on (default: ${DEFAULT-VALUE}).")
    int validationItems;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--source", paramLabel = "DIR", description = "Fashion-MNIST idx files (default: /usr/share/datasets/fashion-mnist).")
    Path source;

    @Option(names = "--classifier", defaultValue = "global", paramLabel = "global|box|spp",
            description = "global: average pooling and one linear layer; only the backbone is kept. box: 7x7 RoIAlign of "
                    + "the item's box, fc6, fc7, classifier; fc6 and fc7 are kept for the detector's head (Fast R-CNN "
                    + "§2.2; on fashion it gave a worse detector). spp: a spatial pyramid (--spp-levels) over the whole "
                    + "map, fc6, fc7, classifier (SPP-net §2.3); fc6 and fc7 start spp-net's head. Default: ${DEFAULT-VALUE}.")
    String classifier;

    @Option(names = "--spp-levels", defaultValue = "6,3,2,1", paramLabel = "N,N,...",
            description = "Bins per side of each pyramid level of --classifier spp (default: ${DEFAULT-VALUE}, SPP-net's 50 bins).")
    String sppLevels;

    @Option(names = "--multi-size", description = "SPP-net's multi-size training (§2.3): epochs alternate between the "
            + "image size and 180/224 of it (the same renderings resized), the weights shared; accuracy is reported at both.")
    boolean multiSize;

    @Option(names = "--fc", defaultValue = "512,512", paramLabel = "FC6,FC7",
            description = "Units of fc6 and fc7 of the box classifier; they start a detector's head only if its fc sizes "
                    + "are the same (default: ${DEFAULT-VALUE}, the CPU-sized detector configs').")
    String fc;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate, after 100 warm-up iterations "
            + "(default: 0.1; 0.02 for --classifier spp, whose max-pooled bins send a cell the gradient of every bin it wins).")
    Float lr;

    @Option(names = "--overwrite", description = "Replace an existing FILE.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!FASHION.equals(data)) {
            throw new UsageException("--data: this build pre-trains on 'fashion' (Fashion-MNIST) only, not on '" + data + "'");
        }
        if (!Backbones.NAMES.contains(backbone)) {
            throw new UsageException("--backbone: unknown '" + backbone + "'; one of " + Backbones.NAMES);
        }
        PretrainConfig defaults = PretrainConfig.defaults(backbone, 1);
        int its = iterationsToRun(defaults.batchSize());
        int maxValidation = PretrainConfig.PART_ITEMS - PretrainConfig.TRAIN_ITEMS;
        if (validationItems < 1 || validationItems > maxValidation) {
            throw new UsageException("--validation-items: expected 1 to " + maxValidation + ", got " + validationItems);
        }
        PretrainConfig.Classifier head = classifier();
        checkOutput();
        FashionMnist items = FashionMnist.read(source != null ? source : FashionMnist.DEFAULT_DIR, FashionMnist.Part.TRAIN);
        PretrainConfig config = PretrainConfig.defaults(backbone, its).withSeed(seed)
                .withItems(PretrainConfig.TRAIN_ITEMS, validationItems).withClassifier(head);
        if (multiSize) config = config.multiSize();
        float rate = lr != null ? lr : head.pyramid() ? PretrainConfig.SPP_LEARNING_RATE : config.learningRate();
        if (!(rate > 0) || !Float.isFinite(rate)) throw new UsageException("--lr: expected a positive number, got " + lr);
        config = config.withLearningRate(rate, config.warmupIterations());
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "pre-training %s on Fashion-MNIST: %d iterations of %d images (%s), %.2f epochs of %d items; %s%n",
                backbone, its, config.batchSize(), config.secondSize() > 0
                        ? String.format(Locale.ROOT, "%d px and %d px in turn, an epoch each", config.imageSize(), config.secondSize())
                        : config.imageSize() + " px",
                (double) its * config.batchSize() / config.trainItems(), config.trainItems(), describe(head));
        err.flush();
        PretrainingProgress progress = new PretrainingProgress(err, System.console() != null, config.batchSize(), validationItems);
        try (NDManager manager = NDManager.newBaseManager()) {
            PretrainResult result = new BackbonePretrainer(config).train(items, manager, progress);
            result.save(out);
            PrintWriter stdout = spec.commandLine().getOut();
            PretrainedInfo info = result.info();
            String second = info.secondSize() > 0 ? String.format(Locale.ROOT, " (%d px), %.4f (%d px)", info.imageSize(),
                    info.secondValidationAccuracy(), info.secondSize()) : "";
            stdout.printf(Locale.ROOT, "validation accuracy %.4f%s on %d items; pre-trained in %s; weights: %s (+ %s)%n",
                    info.validationAccuracy(), second, validationItems, Progress.formatSeconds(result.seconds()), out,
                    PretrainedInfo.sidecarOf(out).getFileName());
            stdout.flush();
        }
        return 0;
    }

    /** --classifier and --fc as the config's classifier; a malformed --fc is an error with either classifier. */
    private PretrainConfig.Classifier classifier() {
        String[] parts = fc.split(",", -1);
        int fc6, fc7;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            fc6 = Integer.parseInt(parts[0].trim());
            fc7 = Integer.parseInt(parts[1].trim());
            if (fc6 < 1 || fc7 < 1) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new UsageException("--fc: expected two positive sizes FC6,FC7 such as 512,512, got '" + fc + "'");
        }
        return switch (classifier) {
            case "global" -> PretrainConfig.Classifier.GLOBAL;
            case "box" -> new PretrainConfig.Classifier(PretrainConfig.Classifier.BOX_HEAD.poolSize(), fc6, fc7);
            case "spp" -> new PretrainConfig.Classifier(0, fc6, fc7, levels());
            default -> throw new UsageException("--classifier: expected global, box or spp, got '" + classifier + "'");
        };
    }

    /** --spp-levels as a list of positive sizes. */
    private List<Integer> levels() {
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : sppLevels.split(",", -1)) {
                int n = Integer.parseInt(part.trim());
                if (n < 1 || n > 64) throw new NumberFormatException();
                out.add(n);
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--spp-levels: expected bins per side from 1 to 64 such as 6,3,2,1, got '" + sppLevels + "'");
        }
        return out;
    }

    /** The classifier in a few words, for the log. */
    static String describe(PretrainConfig.Classifier head) {
        if (head.pyramid()) {
            return String.format(Locale.ROOT, "classifier: spatial pyramid %s over the map, fc6 %d, fc7 %d", head.sppLevels(),
                    head.fc6(), head.fc7());
        }
        if (head.boxHead()) {
            return String.format(Locale.ROOT, "classifier: %dx%d RoIAlign of the item's box, fc6 %d, fc7 %d", head.poolSize(),
                    head.poolSize(), head.fc6(), head.fc7());
        }
        return "classifier: global average pooling";
    }

    /** --iterations, or --epochs converted by the training-item count and the batch size; 2 epochs by default. */
    private int iterationsToRun(int batchSize) {
        if (iterations != null && epochs != null) throw new UsageException("give --iterations or --epochs, not both");
        if (iterations != null) {
            if (iterations < 1) throw new UsageException("--iterations: expected a positive number, got " + iterations);
            return iterations;
        }
        double e = epochs != null ? epochs : 2.0;
        if (!(e > 0) || Double.isInfinite(e)) throw new UsageException("--epochs: expected a positive number, got " + e);
        long its = iterationsForEpochs(e, PretrainConfig.TRAIN_ITEMS, batchSize);
        if (its > Integer.MAX_VALUE) throw new UsageException("--epochs: " + e + " epochs are more iterations than this build counts");
        return (int) its;
    }

    /** Iterations that show each of {@code items} training items {@code epochs} times, rounded up. */
    static long iterationsForEpochs(double epochs, int items, int batchSize) {
        return Math.max(1, (long) Math.ceil(epochs * items / batchSize - 1e-9));
    }

    private void checkOutput() {
        if (Files.isDirectory(out)) throw new UsageException(out + ": is a directory; --out names the weights file to write");
        OutputPaths.checkFile(out, "--out");
        if (!overwrite && (Files.exists(out) || Files.exists(PretrainedInfo.sidecarOf(out)))) {
            throw new UsageException(out + ": exists; choose another --out or pass --overwrite");
        }
    }

    /**
     * The pre-training progress line: iteration, loss and batch accuracy (averaged over the
     * iterations since the previous line: one batch's are noisy), learning rate, images/s, ETA. On
     * a terminal one line redrawn in place; otherwise a plain line every 5 % of the run.
     */
    static final class PretrainingProgress implements PretrainProgress {
        private final PrintWriter out;
        private final boolean terminal;
        private final int batchSize;
        private final int validationItems;
        private final long start = System.nanoTime();
        private long lastPrint = start;
        private double lossSum, accuracySum;
        private int steps;

        PretrainingProgress(PrintWriter out, boolean terminal, int batchSize, int validationItems) {
            this.out = out;
            this.terminal = terminal;
            this.batchSize = batchSize;
            this.validationItems = validationItems;
        }

        @Override
        public void iteration(Step s) {
            lossSum += s.loss();
            accuracySum += s.accuracy();
            steps++;
            boolean last = s.iteration() == s.iterations();
            long every = Math.max(1, s.iterations() / 20);
            long now = System.nanoTime();
            boolean due = terminal ? now - lastPrint > 250_000_000L : s.iteration() % every == 0 || s.iteration() == 1;
            if (!due && !last) return;
            out.print(terminal ? "\r" + line(s, now) + (last ? "\n" : "") : line(s, now) + "\n");
            // Validation runs next, with no progress of its own: say what the wait is for.
            if (last) out.println("validating on " + validationItems + " items");
            out.flush();
            lastPrint = now;
            lossSum = 0;
            accuracySum = 0;
            steps = 0;
        }

        String line(Step s, long now) {
            double seconds = (now - lastPrint) / 1e9;
            double rate = seconds > 0 ? (double) steps * batchSize / seconds : s.imagesPerSecond();
            double eta = (now - start) / 1e9 / s.iteration() * (s.iterations() - s.iteration());
            return String.format(Locale.ROOT, "iter %d/%d loss %.3f acc %.3f lr %.4f %.1f img/s ETA %s",
                    s.iteration(), s.iterations(), lossSum / steps, accuracySum / steps, s.learningRate(), rate,
                    Progress.formatSeconds(eta));
        }
    }
}
