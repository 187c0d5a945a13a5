package org.rcnn4j.cli;

import java.util.Set;

/**
 * The {@code image_id} rcnn4j gives a loose image file in COCO results ({@code detect --json},
 * {@code serve}'s {@code ?format=coco}): the file name without extension when that is a number not
 * used yet, so that results on COCO's {@code 000000397133.jpg} are on image 397133 and can be
 * evaluated against the dataset; otherwise the next free number from 1.
 */
public final class ImageIds {
    private ImageIds() {}

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
