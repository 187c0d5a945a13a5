package org.rcnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageIds;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.evaluation.ResultsWriter;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.visualize.BoxPainter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rcnn4j detect}: runs a trained model on image files. */
@Command(
        name = "detect",
        mixinStandardHelpOptions = true,
        description = {
            "Detect objects in images with a trained model directory.",
            "Writes <name>.png with boxes into --out and/or a COCO results JSON (image_id = file name without extension).",
            "An unreadable image is reported on one line and skipped; the exit code is then 2."
        })
final class DetectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model directory written by 'rcnn4j train'.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", description = "Write each image with its boxes drawn as DIR/<name>.png.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write all detections as a COCO results JSON.")
    Path json;

    @Option(names = "--proposals", paramLabel = "FILE", description = "Region proposals of the images, for a model on given proposals (r-cnn, spp-net, fast-rcnn; default: selective search on each image); "
            + "image_id is the file name without extension (or that number).")
    Path proposals;

    @Option(names = "--score-threshold", paramLabel = "T", description = "Keep detections scoring at least T. Scores are "
            + "probabilities (default 0.5), except an r-cnn or spp-net model's: SVM margins, where 0 is the SVMs' own boundary "
            + "(default 0; -0.5 keeps more, at more false alarms).")
    Float scoreThreshold;

    @Mixin ClassifierOptions classifier;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Image files, or directories of them.")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (out == null && json == null) throw new UsageException("say where results go: --out DIR and/or --json FILE");
        if (scoreThreshold != null && !Float.isFinite(scoreThreshold)) {
            throw new UsageException("--score-threshold: expected a finite number, got " + scoreThreshold);
        }
        if (json != null) OutputPaths.checkFile(json, "--json");
        if (out != null) OutputPaths.checkDirectory(out, "--out");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        List<Path> files = imageFiles(inputs);
        if (files.isEmpty()) throw new UsageException("no image files (" + String.join(", ", ImageIds.SUFFIXES) + ") in " + inputs);
        int failed = 0;
        List<Detection> all = new ArrayList<>();
        List<ImageRecord> records = new ArrayList<>();
        List<ImageRecord> named = name(files);
        try (Detector detector = Detector.load(model);
                Progress progress = new Progress(err, "detect", files.size(), "images")) {
            ProposalsOption.apply(detector, proposals, new Dataset(null, List.of(), detector.categories(), named));
            classifier.apply(detector);
            float threshold = scoreThreshold != null ? scoreThreshold : detector.defaultScoreThreshold();
            BoxPainter painter = new BoxPainter(detector.categories());
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                try {
                    RgbImage image = ImageDecoder.decode(file);
                    String name = named.get(i).name();
                    long id = named.get(i).id();
                    ImageRecord record = new ImageRecord(id, name, file.toString(), image.width(), image.height(), List.of());
                    List<Detection> found = new ArrayList<>();
                    for (Detection d : detector.detect(image, record)) if (d.score() >= threshold) found.add(d);
                    records.add(record);
                    all.addAll(found);
                    if (out != null) BoxPainter.writePng(painter.draw(image, found), out.resolve(name + ".png"));
                } catch (BadInputException e) {
                    failed++;
                    err.println("rcnn4j: " + e.getMessage());
                }
                progress.step();
            }
            // With no image read there are no results: a --json file from an earlier run stays as it was.
            if (json != null && !records.isEmpty()) {
                List<Category> cats = detector.categories();
                ResultsWriter.writeCoco(all, new Dataset(null, List.of(), cats, records), json);
            }
        }
        stdout.printf(Locale.ROOT, "%d detections in %d images%s%s%n", all.size(), records.size(),
                out != null ? "; pictures in " + out : "",
                json == null ? "" : records.isEmpty() ? "; no image could be read, " + json + " not written" : "; results in " + json);
        if (failed > 0) stdout.printf(Locale.ROOT, "%d images could not be read%n", failed);
        stdout.flush();
        return failed > 0 ? Main.EXIT_BAD_INPUT : 0;
    }

    /** Each file's results id and name ({@link ImageIds}), before any is decoded; sizes unknown (0). */
    static List<ImageRecord> name(List<Path> files) {
        java.util.Set<Long> usedIds = new java.util.HashSet<>();
        List<ImageRecord> records = new ArrayList<>(files.size());
        for (Path file : files) {
            String name = stem(file);
            records.add(new ImageRecord(ImageIds.next(name, usedIds), name, file.toString(), 0, 0, List.of()));
        }
        return records;
    }

    static List<Path> imageFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> ImageIds.hasImageSuffix(f.getFileName().toString())).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    static String stem(Path file) {
        return ImageIds.stem(file.getFileName().toString());
    }
}
