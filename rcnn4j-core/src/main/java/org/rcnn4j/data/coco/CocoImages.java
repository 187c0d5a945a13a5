package org.rcnn4j.data.coco;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.BoxBounds;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.SkippedRecords;
import org.rcnn4j.io.BadInputException;

/**
 * The last step of reading a COCO file: checks each buffered annotation against its image and the
 * categories, and attaches it to its image, keeping the file's order within each image.
 */
final class CocoImages {
    /** One good {@code images[index]} entry of the file. */
    record Entry(long id, String fileName, int width, int height, int index) {}

    private final Path file;
    private final SkippedRecords skipped;
    private final List<Entry> images;
    private final Map<Long, Integer> slotById;
    private final Set<Long> skippedImageIds;
    private final Set<Integer> categoryIds;

    CocoImages(Path file, SkippedRecords skipped, List<Entry> images, Map<Long, Integer> slotById,
            Set<Long> skippedImageIds, Set<Integer> categoryIds) {
        this.file = file;
        this.skipped = skipped;
        this.images = images;
        this.slotById = slotById;
        this.skippedImageIds = skippedImageIds;
        this.categoryIds = categoryIds;
    }

    /** The image records, in file order, each with its good annotations. */
    List<ImageRecord> attach(AnnotationColumns a) {
        int n = a.size;
        Annotation[] built = new Annotation[n];
        int[] slotOf = new int[n];
        int[] counts = new int[images.size()];
        Map<Integer, Integer> duplicates = a.duplicateIds();
        for (int i = 0; i < n; i++) {
            slotOf[i] = -1;
            Integer first = duplicates.get(i);
            if (first != null) {
                skipped.report(new BadInputException(file, where(a, i, "id"),
                        "duplicate annotation id " + a.id[i] + " (first at annotations[" + first + "])"));
                continue;
            }
            Integer slot = slotById.get(a.imageId[i]);
            if (slot == null) {
                skipped.report(new BadInputException(file, where(a, i, "image_id"),
                        (skippedImageIds.contains(a.imageId[i]) ? "its image was skipped: image id "
                                : "unknown image id ") + a.imageId[i]));
                continue;
            }
            if (!categoryIds.contains(a.categoryId[i])) {
                skipped.report(new BadInputException(file, where(a, i, "category_id"),
                        "unknown category id " + a.categoryId[i]));
                continue;
            }
            Annotation ann = build(a, i, images.get(slot));
            if (ann == null) continue;
            built[i] = ann;
            slotOf[i] = slot;
            counts[slot]++;
        }
        Annotation[][] perImage = new Annotation[images.size()][];
        for (int s = 0; s < perImage.length; s++) perImage[s] = new Annotation[counts[s]];
        int[] filled = new int[images.size()];
        for (int i = 0; i < n; i++) {
            int s = slotOf[i];
            if (s >= 0) perImage[s][filled[s]++] = built[i];
        }
        List<ImageRecord> records = new ArrayList<>(images.size());
        for (int s = 0; s < perImage.length; s++) {
            Entry im = images.get(s);
            records.add(new ImageRecord(im.id(), baseName(im.fileName()), im.fileName(), im.width(), im.height(),
                    List.of(perImage[s])));
        }
        return records;
    }

    /** Annotation {@code i} with its box checked (and clipped within tolerance), or null once reported. */
    private Annotation build(AnnotationColumns a, int i, Entry im) {
        float x1 = a.box[4 * i], y1 = a.box[4 * i + 1], x2 = a.box[4 * i + 2], y2 = a.box[4 * i + 3];
        if (!BoxBounds.isInside(x1, y1, x2, y2, im.width(), im.height())) {
            try {
                float[] b = BoxBounds.checkAndClip(file, where(a, i, "bbox"), x1, y1, x2, y2, im.width(), im.height());
                x1 = b[0];
                y1 = b[1];
                x2 = b[2];
                y2 = b[3];
            } catch (BadInputException e) {
                skipped.report(e);
                return null;
            }
        }
        double area = Double.isNaN(a.area[i]) ? (double) (x2 - x1) * (y2 - y1) : a.area[i];
        return new Annotation(a.id[i], a.categoryId[i], x1, y1, x2, y2, area, a.difficult(i), a.crowd(i));
    }

    private static String where(AnnotationColumns a, int i, String field) {
        return "annotations[" + a.source[i] + "]." + field;
    }

    /** {@code file_name} without folders and extension: {@code "train/000123.jpg"} gives {@code "000123"}. */
    static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String base = fileName.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
