package org.rcnn4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rcnn4j.data.coco.CocoReader;
import org.rcnn4j.data.voc.VocReader;
import org.rcnn4j.io.BadInputException;

/**
 * Reads the DATA argument of the command line: a COCO JSON file (a regular file) or a Pascal VOC
 * directory. Opens no image file; {@link ImageFiles#check} does that when wanted.
 */
public final class DatasetReader {
    private DatasetReader() {}

    /**
     * Reads a dataset.
     *
     * @param data    a COCO instances JSON file ({@link CocoReader}) or a VOC directory ({@link VocReader})
     * @param split   the VOC split ({@code ImageSets/Main/<split>.txt}); null for the default
     *                ({@code trainval}, else {@code train}, else the only split file); COCO ignores it
     * @param options strict, or skip bad records
     * @throws BadInputException when {@code data} does not exist, is neither, or is bad (see the readers)
     */
    public static ReadResult read(Path data, String split, ReadOptions options) {
        if (Files.isRegularFile(data)) return CocoReader.read(data, options);
        if (Files.isDirectory(data)) return VocReader.read(data, split, options);
        if (!Files.exists(data)) throw new BadInputException(data, null, "no such file or directory");
        throw new BadInputException(data, null, "neither a COCO JSON file nor a Pascal VOC directory");
    }
}
