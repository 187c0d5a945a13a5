package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.synth.BackgroundFamily;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.detector.DatasetDetector;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.DetectorKind;
import org.rcnn4j.detector.DetectorKinds;
import org.rcnn4j.evaluation.CocoEvaluation;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.VocEvaluation;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.training.DetectorTraining;
import org.rcnn4j.training.TrainingConfig;
import org.rcnn4j.visualize.BoxPainter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rcnn4j demo}: the main job on embedded data: synthesise {@code shapes}, train Faster R-CNN
 * (or FPN with {@code --detector fpn}), evaluate it, and draw its detections and precision/recall
 * curves.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job: synthesise 'shapes', train Faster R-CNN (or --detector fpn), evaluate, draw detections.",
            "Trains the tiny backbone, evaluates with VOC07 and COCO, and writes pictures with detections",
            "and precision/recall curves (about 4 minutes on 2 cores)."
        })
final class DemoCommand implements Callable<Integer> {
    /** Marks a directory as demo output, so a later demo run may replace it. */
    static final String MARKER = ".rcnn4j-demo";
    /** How the demo's messages name a detector. */
    private static final java.util.Map<String, String> TITLES = java.util.Map.of("faster-rcnn", "Faster R-CNN", "fpn", "FPN");
    /**
     * The demo's training budget per detector: about 4 to 5 minutes on 2 cores (an FPN iteration costs more;
     * 2026-11-24, commit fbc143b).
     */
    private static final java.util.Map<String, Long> ITERATIONS = java.util.Map.of("faster-rcnn", 2500L, "fpn", 2000L);

    @Spec CommandSpec spec;

    @Option(names = "--detector", defaultValue = "faster-rcnn", paramLabel = "faster-rcnn|fpn",
            description = "Detector to train (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train-images", defaultValue = "400", description = "Training images (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "100", description = "Validation images (default: ${DEFAULT-VALUE}).")
    int valImages;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Training iterations (default: 2500 for faster-rcnn, 2000 for fpn: about 4 to 5 minutes of training on 2 cores).")
    Long iterations;

    @Option(names = "--pictures", defaultValue = "12", description = "Validation pictures to draw (default: ${DEFAULT-VALUE}).")
    int pictures;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        DetectorKind kind = DetectorKinds.find(detector).orElseThrow(() -> new UsageException(
                "--detector: '" + detector + "' is not available in this build; available: " + DetectorKinds.names()));
        if (!ITERATIONS.containsKey(kind.name())) {
            throw new UsageException("--detector: the demo trains " + String.join(" or ", new java.util.TreeSet<>(ITERATIONS.keySet()))
                    + ", which make their own proposals; train " + kind.name() + " with 'rcnn4j train'");
        }
        String title = TITLES.getOrDefault(kind.name(), kind.name());
        // FPN's pyramid and its stride-4 RPN level cost about 1.8 times Faster R-CNN's iteration here
        // (measured: 7.1 it/s; 2026-11-24, commit fbc143b).
        long iterations = this.iterations != null ? this.iterations : ITERATIONS.get(kind.name());
        if (iterations < 1) throw new UsageException("--iterations: expected a positive number, got " + iterations);
        OutputPaths.checkDirectory(out, "--out");
        // Replace an earlier demo's output, but never a directory the demo did not make.
        boolean ours = Files.exists(out.resolve(MARKER));
        try (OutputDirectory dir = OutputDirectory.create(out, ours)) {
            Path root = dir.path();
            Files.writeString(root.resolve(MARKER), "written by ./rcnn4j demo; a later demo run replaces this directory\n");
            Dataset train = SynthCommand.write(SynthCommand.Kind.shapes, new SynthSpec("train", trainImages, 128, seed),
                    BackgroundFamily.all(), SynthCommand.Format.coco, null, root.resolve("data/train"), false, log);
            Dataset val = SynthCommand.write(SynthCommand.Kind.shapes, new SynthSpec("val", valImages, 128, seed),
                    BackgroundFamily.all(), SynthCommand.Format.coco, null, root.resolve("data/val"), false, log);

            TrainingConfig tc = TrainingConfig.defaults(iterations, seed);
            DetectorTraining.Request request = new DetectorTraining.Request(kind, train, null, root.resolve("model"), null,
                    "tiny", null, tc, false);
            log.printf(Locale.ROOT, "demo: training %s (tiny backbone) on %d shapes images for %d iterations%n",
                    title, train.images().size(), iterations);
            log.flush();
            DetectorTraining.Outcome trained = DetectorTraining.run(request,
                    new TrainingProgress(log, System.console() != null), null);
            LossCurve.write(trained.history(), root.resolve("model/loss.png"));

            List<Detection> dets;
            try (Detector detector = Detector.load(root.resolve("model"));
                    Progress progress = new Progress(log, "evaluating", val.images().size(), "images")) {
                dets = DatasetDetector.detectAll(detector, val, progress::advanceTo);
            }
            VocEvaluation voc = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07);
            CocoEvaluation coco = CocoEvaluator.evaluate(val, dets);
            PrCurvePlotter.write(voc.perClass(), "voc07", root.resolve("plots"));
            int drawn = drawDetections(val, dets, root.resolve("pictures"), pictures);
            dir.commit();

            stdout.printf(Locale.ROOT, "demo: %s (tiny) trained in %s on %d shapes images; on %d val images:%n",
                    title, Progress.formatSeconds(trained.seconds()), train.images().size(), val.images().size());
            stdout.printf(Locale.ROOT, "  voc07 mAP %.3f   COCO AP %.3f  AP50 %.3f  APs %.3f  APm %.3f%n",
                    voc.mAP(), coco.ap(), coco.ap50(), coco.apSmall(), coco.apMedium());
            stdout.printf(Locale.ROOT, "  model:    %s (model.json, weights.bin, loss.png)%n", out.resolve("model"));
            stdout.printf(Locale.ROOT, "  pictures: %s (%d val images with detections scoring >= 0.5)%n", out.resolve("pictures"), drawn);
            stdout.printf(Locale.ROOT, "  plots:    %s (precision/recall per class)%n", out.resolve("plots"));
            stdout.printf(Locale.ROOT, "  data:     %s (COCO: annotations.json + images/)%n", out.resolve("data"));
            stdout.flush();
        }
        return 0;
    }

    /** Draws the first {@code n} val images with their detections scoring at least 0.5. */
    private static int drawDetections(Dataset dataset, List<Detection> dets, Path dir, int n) throws Exception {
        BoxPainter painter = BoxPainter.forDataset(dataset);
        Files.createDirectories(dir);
        int drawn = 0;
        for (ImageRecord im : dataset.images()) {
            if (drawn == n) break;
            List<Detection> mine = new ArrayList<>();
            for (Detection d : dets) if (d.imageId() == im.id() && d.score() >= 0.5f) mine.add(d);
            BoxPainter.writePng(painter.draw(ImageDecoder.decode(dataset.imagePath(im)), mine), dir.resolve(im.name() + ".png"));
            drawn++;
        }
        return drawn;
    }
}
