package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.visualize.BoxPainter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rcnn4j demo}: the main job on embedded data. Today: synthesise the {@code shapes} train and
 * val sets and draw the val ground truth; the detector stages join as they land.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The main job on embedded data: synthesise 'shapes' train/val sets and draw their boxes.",
            "Training and evaluating a detector joins this command with the Faster R-CNN work."
        })
final class DemoCommand implements Callable<Integer> {
    /** Marks a directory as demo output, so a later demo run may replace it. */
    static final String MARKER = ".rcnn4j-demo";

    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--train-images", defaultValue = "400", description = "Training images (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--val-images", defaultValue = "100", description = "Validation images (default: ${DEFAULT-VALUE}).")
    int valImages;

    @Option(names = "--pictures", defaultValue = "8", description = "Pictures to draw (default: ${DEFAULT-VALUE}).")
    int pictures;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        // Replace an earlier demo's output, but never a directory the demo did not make.
        boolean ours = Files.exists(out.resolve(MARKER));
        try (OutputDirectory dir = OutputDirectory.create(out, ours)) {
            Path root = dir.path();
            Files.writeString(root.resolve(MARKER), "written by ./rcnn4j demo; a later demo run replaces this directory\n");
            Dataset train = SynthCommand.write(SynthCommand.Kind.shapes, new SynthSpec("train", trainImages, 128, seed),
                    SynthCommand.Format.coco, null, root.resolve("data/train"), false, log);
            Dataset val = SynthCommand.write(SynthCommand.Kind.shapes, new SynthSpec("val", valImages, 128, seed),
                    SynthCommand.Format.coco, null, root.resolve("data/val"), false, log);
            int drawn = drawGroundTruth(val, root.resolve("pictures"), pictures);
            dir.commit();
            stdout.printf("demo: %d train and %d val images (%d and %d objects, %d classes: %s)%n",
                    train.images().size(), val.images().size(), train.numAnnotations(), val.numAnnotations(),
                    train.numClasses(), String.join(", ", train.classNames()));
            stdout.printf("  data:     %s (COCO: annotations.json + images/)%n", out.resolve("data"));
            stdout.printf("  pictures: %s (%d val images with their ground-truth boxes)%n", out.resolve("pictures"), drawn);
            stdout.flush();
        }
        return 0;
    }

    /** Draws each of the first {@code n} images with its ground-truth boxes (score 1). */
    private static int drawGroundTruth(Dataset dataset, Path dir, int n) throws Exception {
        BoxPainter painter = BoxPainter.forDataset(dataset);
        Files.createDirectories(dir);
        int drawn = 0;
        for (ImageRecord im : dataset.images()) {
            if (drawn == n) break;
            List<Detection> boxes = new ArrayList<>();
            for (Annotation a : im.annotations()) {
                boxes.add(new Detection(im.id(), a.categoryId(), a.x1(), a.y1(), a.x2(), a.y2(), 1f));
            }
            painter.drawToPng(dataset.imagePath(im), boxes, dir.resolve(im.name() + "_gt.png"));
            drawn++;
        }
        return drawn;
    }
}
