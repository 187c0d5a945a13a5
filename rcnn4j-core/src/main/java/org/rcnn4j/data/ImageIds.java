package org.rcnn4j.data;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code image_id} rcnn4j gives a loose image file in COCO results ({@code detect --json},
 * {@code serve}'s {@code ?format=coco}, the Spark job's {@code --format coco}): the file name without
 * extension when that is a number not used yet, so that results on COCO's {@code 000000397133.jpg}
 * are on image 397133 and can be evaluated against the dataset; otherwise the next free number from
 * 1. Also which files of a folder count as its images ({@link #SUFFIXES}), so that every entry point
 * numbers the same files.
 */
public final class ImageIds {
    /** The file name endings (any case) of the files taken from a folder of images. */
    public static final List<String> SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageIds() {}

    /** Whether a file of a folder is taken as an image: its name ends with one of {@link #SUFFIXES}, in any case. */
    public static boolean hasImageSuffix(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    /**
     * The id of a file named {@code stem} (its name without extension), recorded in {@code used}.
     *
     * @param used the ids given so far in the same results; updated
     */
    public static long next(String stem, Set<Long> used) {
        long id = -1;
        if (!stem.isEmpty() && stem.length() < 18 && stem.chars().allMatch(Character::isDigit)) id = Long.parseLong(stem);
        if (id < 0 || used.contains(id)) {
            id = 1;
            while (used.contains(id)) id++;
        }
        used.add(id);
        return id;
    }

    /** A file name without its extension: {@code 000001.png} → {@code 000001}; a leading dot is kept. */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
