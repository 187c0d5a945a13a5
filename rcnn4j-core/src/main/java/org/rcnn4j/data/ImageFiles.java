package org.rcnn4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.io.BadInputException;

/**
 * Checks that a dataset's image files exist (without decoding them), so a missing file is reported
 * when the data is read rather than hours into training.
 */
public final class ImageFiles {
    private ImageFiles() {}

    /**
     * Looks up every image file in {@link Dataset#imageDirs()}.
     *
     * @return the dataset with the images found (the same dataset when all are), and the missing
     *         images counted as skipped records under {@link ReadOptions#skipping()}
     * @throws BadInputException naming the annotation file and the image: under
     *                           {@link ReadOptions#strict()} at the first missing image, otherwise
     *                           when none is found
     */
    public static ReadResult check(Dataset dataset, ReadOptions options) {
        SkippedRecords skipped = new SkippedRecords(options);
        List<ImageRecord> found = new ArrayList<>(dataset.images().size());
        for (ImageRecord im : dataset.images()) {
            Path path = dataset.imagePath(im);
            if (Files.isRegularFile(path)) {
                found.add(im);
            } else {
                skipped.report(new BadInputException(annotationFile(dataset, im), "image id " + im.id(),
                        "image file not found: " + im.fileName() + " (looked in " + dataset.imageDirs() + ")"));
            }
        }
        if (found.size() == dataset.images().size()) return skipped.result(dataset);
        if (found.isEmpty()) {
            throw new BadInputException(dataset.source(), null,
                    "none of the " + dataset.images().size() + " image files was found in " + dataset.imageDirs());
        }
        return skipped.result(dataset.withImages(found));
    }

    /** The file that lists {@code image}: VOC's {@code Annotations/<name>.xml}, else the dataset's source file. */
    static Path annotationFile(Dataset dataset, ImageRecord image) {
        Path source = dataset.source();
        if (source != null && Files.isDirectory(source)) {
            return source.resolve("Annotations").resolve(image.name() + ".xml");
        }
        return source;
    }
}
