package org.rcnn4j.data.coco;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.data.SkippedRecords;
import org.rcnn4j.io.BadInputException;

/**
 * Reads a COCO instances JSON file ({@code images}, {@code annotations}, {@code categories}) into a
 * {@link Dataset}, with Jackson's streaming parser: the file's text is never held in memory, and
 * {@code segmentation}, {@code info}, {@code licenses} and unknown fields are skipped unparsed, so a
 * train2017-sized file (450 MB, 860k annotations) loads in a few hundred MB of heap.
 *
 * <p>Top-level keys may come in any order: annotations are buffered in primitive columns and
 * attached to their images at the end. Conventions:
 * <ul>
 *   <li>{@code bbox [x, y, w, h]} becomes {@code x1 = x, y1 = y, x2 = x + w, y2 = y + h}; boxes up
 *       to 1 px outside the image are clipped ({@link org.rcnn4j.data.BoxBounds}).
 *   <li>{@code area} is optional (default: the box area); {@code iscrowd} is optional (default 0);
 *       annotation {@code id} is optional (default: its 1-based position in the array), but two
 *       annotations may not give the same one (the COCO API indexes annotations by id);
 *       {@code difficult} (0/1) is read when present, an rcnn4j extension that {@link CocoWriter} writes.
 *   <li>Categories are ordered by id (ids may have gaps): class index 1 is the smallest id.
 *   <li>{@link org.rcnn4j.data.ImageRecord#name()} is {@code file_name}'s base name without its
 *       extension; image files are looked up in the JSON's folder, then its {@code images/} subfolder.
 * </ul>
 * Bad records (an annotation; an image, with its annotations) fail or are skipped per
 * {@link ReadOptions}; malformed JSON, a bad category and a file without images always fail.
 */
public final class CocoReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // NaN is then a field error naming the field
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final Path file;
    private final SkippedRecords skipped;
    private final JsonFields fields;
    private final List<CocoImages.Entry> images = new ArrayList<>();
    private final Map<Long, Integer> imageSlot = new HashMap<>();
    private final Set<Long> skippedImageIds = new HashSet<>();
    private final Map<Integer, Integer> categoryIndex = new HashMap<>();
    private final List<Category> categories = new ArrayList<>();
    private final AnnotationColumns annotations = new AnnotationColumns();
    private int imageCount;
    private int annotationCount;

    private CocoReader(Path file, ReadOptions options) {
        this.file = file;
        this.skipped = new SkippedRecords(options);
        this.fields = new JsonFields(file);
    }

    /**
     * Reads a COCO JSON file.
     *
     * @throws BadInputException on a missing file, malformed JSON, or (per {@code options}) a bad record
     */
    public static ReadResult read(Path json, ReadOptions options) {
        return new CocoReader(json, options).run();
    }

    private ReadResult run() {
        try (InputStream in = Files.newInputStream(file); JsonParser p = FACTORY.createParser(in)) {
            readTopLevel(p);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file, "line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        categories.sort(Comparator.comparingInt(Category::id));
        CocoImages assembly = new CocoImages(file, skipped, images, imageSlot, skippedImageIds, categoryIndex.keySet());
        var records = assembly.attach(annotations);
        if (records.isEmpty()) {
            throw new BadInputException(file, "images", images.isEmpty() && skipped.count() == 0
                    ? "the dataset has no images" : "no usable images (" + skipped.count() + " records skipped)");
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        Dataset dataset = new Dataset(file, List.of(dir, dir.resolve("images")), categories, records);
        return skipped.result(dataset);
    }

    private void readTopLevel(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new BadInputException(file, null, "empty file");
        if (t != JsonToken.START_OBJECT) {
            throw new BadInputException(file, "top level", "expected a JSON object with \"images\", \"annotations\""
                    + " and \"categories\", got " + (t == JsonToken.START_ARRAY ? "an array (a detection results file?)"
                    : p.getText()) + JsonFields.located(p.currentTokenLocation()));
        }
        String key;
        while ((key = p.nextFieldName()) != null) {
            t = p.nextToken();
            switch (key) {
                case "images" -> readArray(p, key, this::readImage);
                case "annotations" -> readArray(p, key, this::readAnnotation);
                case "categories" -> readArray(p, key, this::readCategory);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new BadInputException(file, null, "unexpected content after the top-level object"
                    + JsonFields.located(p.currentTokenLocation()));
        }
    }

    @FunctionalInterface
    private interface RecordReader {
        void read(JsonParser p) throws IOException;
    }

    private void readArray(JsonParser p, String key, RecordReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadInputException(file, key, "expected an array" + JsonFields.located(p.currentTokenLocation()));
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            reader.read(p);
        }
    }

    /** {@code images[i]}: id, file_name, width, height required. */
    private void readImage(JsonParser p) throws IOException {
        fields.at("images", imageCount++);
        if (!isObject(p)) return;
        long id = 0;
        boolean hasId = false;
        String fileName = null;
        int width = -1, height = -1;
        BadInputException first = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            try {
                switch (name) {
                    case "id" -> {
                        id = fields.wholeNumber(p, name);
                        hasId = true;
                    }
                    case "file_name" -> fileName = fields.text(p, name);
                    case "width" -> width = positiveInt(p, name);
                    case "height" -> height = positiveInt(p, name);
                    default -> p.skipChildren();
                }
            } catch (BadInputException e) {
                if (first == null) first = e;
            }
        }
        if (first == null) first = missing(p, !hasId ? "id" : fileName == null ? "file_name"
                : width < 0 ? "width" : height < 0 ? "height" : null);
        if (first == null && imageSlot.containsKey(id)) {
            first = fields.error(p, "id", "duplicate image id " + id + " (first at images["
                    + images.get(imageSlot.get(id)).index() + "])");
        }
        if (first != null) {
            if (hasId && !imageSlot.containsKey(id)) skippedImageIds.add(id);
            skipped.report(first);
            return;
        }
        imageSlot.put(id, images.size());
        images.add(new CocoImages.Entry(id, fileName, width, height, imageCount - 1));
    }

    /** {@code annotations[i]}: image_id, category_id, bbox required; segmentation skipped unparsed. */
    private void readAnnotation(JsonParser p) throws IOException {
        int index = annotationCount++;
        fields.at("annotations", index);
        if (!isObject(p)) return;
        long id = index + 1L, imageId = 0;
        int categoryId = 0;
        boolean hasImage = false, hasCategory = false, hasBox = false, hasId = false, crowd = false, difficult = false;
        double area = Double.NaN;
        double[] box = fields.box;
        BadInputException first = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            try {
                switch (name) {
                    case "segmentation" -> p.skipChildren();
                    case "bbox" -> {
                        fields.bbox(p, name);
                        if (!(box[2] > 0 && box[3] > 0)) {
                            throw fields.error(p, name, "width " + box[2] + " and height " + box[3] + " must be > 0");
                        }
                        hasBox = true;
                    }
                    case "image_id" -> {
                        imageId = fields.wholeNumber(p, name);
                        hasImage = true;
                    }
                    case "category_id" -> {
                        categoryId = fields.intNumber(p, name);
                        hasCategory = true;
                    }
                    case "id" -> {
                        id = fields.wholeNumber(p, name);
                        hasId = true;
                    }
                    case "area" -> area = nonNegative(p, name);
                    case "iscrowd" -> crowd = fields.flag(p, name);
                    case "difficult" -> difficult = fields.flag(p, name);
                    default -> p.skipChildren();
                }
            } catch (BadInputException e) {
                if (first == null) first = e;
            }
        }
        if (first == null) first = missing(p, !hasImage ? "image_id" : !hasCategory ? "category_id"
                : !hasBox ? "bbox" : null);
        if (first != null) {
            skipped.report(first);
            return;
        }
        annotations.add(index, id, imageId, categoryId, box[0], box[1], box[2], box[3], area, crowd, difficult, hasId);
    }

    /** {@code categories[i]}: id and name required; any fault here fails the read (it changes the classes). */
    private void readCategory(JsonParser p) throws IOException {
        int index = categories.size();
        fields.at("categories", index);
        if (p.currentToken() != JsonToken.START_OBJECT) throw fields.error(p, null, "expected an object");
        Integer id = null;
        String catName = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            switch (name) {
                case "id" -> id = fields.intNumber(p, name);
                case "name" -> catName = fields.text(p, name);
                default -> p.skipChildren();
            }
        }
        BadInputException missing = missing(p, id == null ? "id" : catName == null ? "name" : null);
        if (missing != null) throw missing;
        Integer earlier = categoryIndex.putIfAbsent(id, index);
        if (earlier != null) {
            throw fields.error(p, "id", "duplicate category id " + id + " (first at categories[" + earlier + "])");
        }
        categories.add(new Category(id, catName));
    }

    /** False (after reporting the record and skipping it) when the current value is not an object. */
    private boolean isObject(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) return true;
        BadInputException e = fields.error(p, null, "expected an object, got " + JsonFields.describe(p));
        p.skipChildren();
        skipped.report(e);
        return false;
    }

    private BadInputException missing(JsonParser p, String field) {
        return field == null ? null : fields.error(p, field, "missing from the record ending at");
    }

    private int positiveInt(JsonParser p, String field) throws IOException {
        int v = fields.intNumber(p, field);
        if (v <= 0) throw fields.error(p, field, "must be > 0, got " + v);
        return v;
    }

    private double nonNegative(JsonParser p, String field) throws IOException {
        double v = fields.number(p, field);
        if (v < 0) throw fields.error(p, field, "must be >= 0, got " + v);
        return v;
    }
}
