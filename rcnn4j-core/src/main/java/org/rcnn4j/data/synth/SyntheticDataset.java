package org.rcnn4j.data.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;

/**
 * A procedural detection dataset: writes PNG images into a folder and returns their ground truth.
 *
 * <p>The returned {@link Dataset} has {@code imageDirs = [imagesDir]}; image {@code i} (0-based)
 * has id {@code i + 1}, name {@code %06d} of its id and file {@code <name>.png}; annotation ids
 * run 1..M in image order; categories have ids 1..K in class order. Boxes follow
 * {@link org.rcnn4j.data.Annotation}: absolute continuous {@code x1 y1 x2 y2}, the tight box of the
 * object's visible pixels (so {@code x2 - x1} counts pixel columns).
 *
 * <p>Output depends on the {@link SynthSpec} only, never on the thread count.
 */
public interface SyntheticDataset {

    /** The kind as the command line names it: {@code shapes} or {@code fashion}. */
    String name();

    /** Categories in class order: ids 1..K. */
    List<Category> categories();

    /** The image side used when the user gives none, in pixels. */
    int defaultSize();

    /**
     * Generates {@code spec.images()} images into {@code imagesDir} (created if absent; existing
     * files of the same names are replaced atomically), on all available processors.
     *
     * @param progress called with the number of images done so far, in increasing order, from
     *                 worker threads (one call at a time); never null
     */
    default Dataset generate(SynthSpec spec, Path imagesDir, IntConsumer progress) {
        return generate(spec, imagesDir, progress, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #generate(SynthSpec, Path, IntConsumer)} without progress reports. */
    default Dataset generate(SynthSpec spec, Path imagesDir) {
        return generate(spec, imagesDir, done -> {});
    }

    /**
     * As {@link #generate(SynthSpec, Path, IntConsumer)} on {@code parallelism} threads; the
     * output is the same for every {@code parallelism >= 1}.
     *
     * @throws java.io.UncheckedIOException when an image cannot be written
     * @throws org.rcnn4j.io.BadInputException when the generator's source data is missing or corrupt
     */
    Dataset generate(SynthSpec spec, Path imagesDir, IntConsumer progress, int parallelism);

    /**
     * The generator of a kind, as {@code synth --kind} names it; {@code fashion} with every
     * background family.
     *
     * @param kind          {@code shapes} or {@code fashion}
     * @param fashionSource folder of the Fashion-MNIST idx files; null for {@link FashionMnist#DEFAULT_DIR}
     * @throws IllegalArgumentException on an unknown kind
     */
    static SyntheticDataset named(String kind, Path fashionSource) {
        return named(kind, fashionSource, BackgroundFamily.all());
    }

    /**
     * As {@link #named(String, Path)}, {@code fashion} drawing its backgrounds from {@code families}
     * ({@code shapes} has one background of its own and ignores them).
     */
    static SyntheticDataset named(String kind, Path fashionSource, List<BackgroundFamily> families) {
        switch (kind) {
            case ShapesGenerator.NAME:
                return new ShapesGenerator();
            case FashionGenerator.NAME:
                return new FashionGenerator(fashionSource == null ? FashionMnist.DEFAULT_DIR : fashionSource, families);
            default:
                throw new IllegalArgumentException("unknown synthetic dataset '" + kind + "': use shapes or fashion");
        }
    }
}
