package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.coco.CocoWriter;
import org.rcnn4j.data.synth.BackgroundFamily;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.data.synth.SyntheticDataset;
import org.rcnn4j.data.voc.VocWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcnn4j synth}: writes a synthetic detection dataset (shapes or fashion) as COCO or VOC. */
@Command(
        name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Synthesise a detection dataset.",
            "shapes: textured geometric shapes on noisy backgrounds (embedded, needs nothing installed).",
            "fashion: Fashion-MNIST items composited on 320x320 backgrounds (apt-get install dataset-fashion-mnist),",
            "  each image's background drawn from the --backgrounds families.",
            "COCO: DIR/annotations.json + DIR/images/*.png; VOC: DIR/Annotations, DIR/ImageSets/Main/<split>.txt, DIR/JPEGImages."
        })
final class SynthCommand implements Callable<Integer> {
    enum Kind { shapes, fashion }

    enum Format { coco, voc }

    @Spec CommandSpec spec;

    @Option(names = "--kind", required = true, description = "shapes or fashion.")
    Kind kind;

    @Option(names = "--split", defaultValue = "train", description = "train, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", required = true, paramLabel = "N", description = "Number of images.")
    int images;

    @Option(names = "--size", paramLabel = "PX", description = "Image side in pixels (default: 128 for shapes, 320 for fashion).")
    Integer size;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}); same seed, same bytes.")
    long seed;

    @Option(names = "--format", defaultValue = "coco", description = "coco or voc (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--source", paramLabel = "DIR", description = "Fashion-MNIST idx files (default: /usr/share/datasets/fashion-mnist).")
    Path source;

    @Option(names = "--backgrounds", paramLabel = "varied|F1,F2,...", defaultValue = "varied",
            description = "fashion: the background families each image draws from: varied (all; the default) or a list of "
                    + "classic (the original gradient, noise and strokes; gives the bytes of datasets made before the "
                    + "families existed), periodic, aperiodic, sharp, smooth.")
    String backgrounds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must be empty or absent).")
    Path out;

    @Option(names = "--overwrite", description = "Replace a non-empty output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("train") && !split.equals("val") && !split.equals("test")) {
            throw new UsageException("--split: expected train, val or test, got '" + split + "'");
        }
        if (images < 1) throw new UsageException("--images: expected a positive number, got " + images);
        int side = size != null ? size : defaultSize(kind);
        if (side < 32 || side > 4096) throw new UsageException("--size: expected 32 to 4096 pixels, got " + side);
        List<BackgroundFamily> families;
        try {
            families = BackgroundFamily.parse(backgrounds);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backgrounds: " + e.getMessage());
        }
        if (kind != Kind.fashion && spec.commandLine().getParseResult().hasMatchedOption("--backgrounds")) {
            throw new UsageException("--backgrounds: only fashion draws from background families");
        }
        OutputPaths.checkDirectory(out, "--out");
        PrintWriter log = spec.commandLine().getErr();
        Dataset dataset = write(kind, new SynthSpec(split, images, side, seed), families, format, source, out, overwrite, log);
        spec.commandLine().getOut().printf("wrote %d %s images (%d objects) to %s%n",
                dataset.images().size(), kind, dataset.numAnnotations(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static int defaultSize(Kind kind) {
        return SyntheticDataset.named(kind.name(), null).defaultSize();
    }

    /** Generates and writes a whole dataset directory atomically; shared with {@code demo}. */
    static Dataset write(Kind kind, SynthSpec spec, List<BackgroundFamily> families, Format format, Path source, Path out,
            boolean overwrite, PrintWriter log) throws Exception {
        SyntheticDataset generator = SyntheticDataset.named(kind.name(), source, families);
        try (OutputDirectory dir = OutputDirectory.create(out, overwrite);
                Progress progress = new Progress(log, "synth " + kind + " " + spec.split(), spec.images(), "images")) {
            String imagesFolder = format == Format.coco ? "images" : "JPEGImages";
            try {
                Dataset dataset = generator.generate(spec, dir.path().resolve(imagesFolder), n -> progress.step());
                if (format == Format.coco) {
                    CocoWriter.write(dataset, dir.path().resolve("annotations.json"));
                } else {
                    VocWriter.write(dataset, dir.path(), spec.split());
                }
                dir.commit();
                // The images now live under the final directory, not the staging one.
                Path finalImages = out.toAbsolutePath().normalize().resolve(imagesFolder);
                return new Dataset(out, List.of(finalImages), dataset.categories(), dataset.images());
            } catch (Exception e) {
                throw dir.reported(e);
            }
        }
    }
}
