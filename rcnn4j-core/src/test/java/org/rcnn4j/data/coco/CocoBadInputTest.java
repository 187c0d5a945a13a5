package org.rcnn4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.io.BadInputException;

/** Every kind of bad COCO input: one line naming the file and the field (or line), strict or skipped. */
class CocoBadInputTest {
    @TempDir
    Path tmp;

    private static final String IMAGE = "{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 100, \"height\": 50}";
    private static final String CATEGORY = "{\"id\": 3, \"name\": \"c\"}";

    /** A file with one image, one category and the given annotations. */
    private static String withAnnotations(String... annotations) {
        return "{\"images\": [" + IMAGE + "], \"categories\": [" + CATEGORY + "], \"annotations\": ["
                + String.join(",\n", annotations) + "]}";
    }

    private static String ann(String bbox) {
        return "{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": " + bbox + "}";
    }

    /** Reads {@code json} strictly, expecting a failure whose message names the file, {@code where} and {@code what}. */
    private BadInputException assertBad(String json, String where, String what) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, json);
        BadInputException e = assertThrows(BadInputException.class, () -> CocoReader.read(f, ReadOptions.strict()));
        assertEquals(f.toString(), e.file());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(where), () -> "expected '" + where + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(what), () -> "expected '" + what + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        BadInputException e = assertBad("{\"images\": [\n  {\"id\": 1,, \"width\": 3}\n]}", "line 2, column 12", "malformed JSON");
        assertEquals("line 2, column 12", e.where());
        assertBad("{\"images\": [" + IMAGE, "line 1", "malformed JSON");
        assertBad("{\"images\": [" + IMAGE + "]} trailing", "line 1", "malformed JSON");
    }

    @Test
    void wrongTopLevel() throws Exception {
        assertBad("[{\"image_id\": 1}]", "top level", "results file");
        assertBad("", "bad.json", "empty file");
        assertBad("{\"images\": {}}", "images", "expected an array");
    }

    @Test
    void missingRequiredFields() throws Exception {
        assertBad("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"height\": 50}]}", "images[0].width", "missing");
        assertBad("{\"images\": [{\"file_name\": \"a.jpg\", \"width\": 1, \"height\": 50}]}", "images[0].id", "missing");
        assertBad(withAnnotations(ann("[1, 1, 2, 2]"), "{\"image_id\": 1, \"category_id\": 3}"), "annotations[1].bbox", "missing");
        assertBad(withAnnotations("{\"image_id\": 1, \"bbox\": [1, 1, 2, 2]}"), "annotations[0].category_id", "missing");
        assertBad(withAnnotations("{\"category_id\": 3, \"bbox\": [1, 1, 2, 2]}"), "annotations[0].image_id", "missing");
        assertBad("{\"images\": [" + IMAGE + "], \"categories\": [{\"id\": 3}]}", "categories[0].name", "missing");
    }

    @Test
    void nonNumericAndNonFiniteNumbers() throws Exception {
        assertBad("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": \"100\", \"height\": 50}]}",
                "images[0].width", "expected a number, got \"100\"");
        assertBad("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 1e999, \"height\": 50}]}",
                "images[0].width", "not a finite number");
        assertBad("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 10.5, \"height\": 50}]}",
                "images[0].width", "not a whole number");
        assertBad("{\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 0, \"height\": 50}]}",
                "images[0].width", "must be > 0");
        assertBad(withAnnotations(ann("[1, NaN, 2, 2]")), "annotations[0].bbox", "bbox[1] is not a finite number: NaN");
        assertBad(withAnnotations(ann("[1, \"a\", 2, 2]")), "annotations[0].bbox", "bbox[1] is not a number: \"a\"");
        assertBad(withAnnotations(ann("[1, 2, 2]")), "annotations[0].bbox", "expected 4 numbers");
        assertBad(withAnnotations(ann("{\"x\": 1}")), "annotations[0].bbox", "expected an array");
        assertBad(withAnnotations("{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 1, 2, 2], \"area\": -Infinity}"),
                "annotations[0].area", "not a finite number");
        assertBad(withAnnotations("{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 1, 2, 2], \"iscrowd\": 2}"),
                "annotations[0].iscrowd", "expected 0 or 1");
    }

    @Test
    void emptyAndOutsideBoxes() throws Exception {
        assertBad(withAnnotations(ann("[1, 1, 0, 5]")), "annotations[0].bbox", "width 0.0 and height 5.0 must be > 0");
        assertBad(withAnnotations(ann("[1, 1, 5, -2]")), "annotations[0].bbox", "must be > 0");
        // the image is 100 x 50: x2 = 102 is 2 px past the border, beyond the 1 px tolerance
        assertBad(withAnnotations(ann("[95, 0, 7, 5]")), "annotations[0].bbox", "outside the 100x50 image");
        assertBad(withAnnotations(ann("[0, -1.5, 7, 5]")), "annotations[0].bbox", "outside");
        // within tolerance it is clipped, not an error
        Path f = tmp.resolve("ok.json");
        Files.writeString(f, withAnnotations(ann("[95, -1, 6, 51]")));
        ImageRecord im = CocoReader.read(f, ReadOptions.strict()).dataset().images().get(0);
        assertEquals(95f, im.annotations().get(0).x1());
        assertEquals(100f, im.annotations().get(0).x2());
        assertEquals(0f, im.annotations().get(0).y1());
        assertEquals(50f, im.annotations().get(0).y2());
    }

    @Test
    void unknownAndDuplicateIds() throws Exception {
        assertBad(withAnnotations("{\"image_id\": 1, \"category_id\": 9, \"bbox\": [1, 1, 2, 2]}"),
                "annotations[0].category_id", "unknown category id 9");
        assertBad(withAnnotations(ann("[1, 1, 2, 2]"), "{\"image_id\": 77, \"category_id\": 3, \"bbox\": [1, 1, 2, 2]}"),
                "annotations[1].image_id", "unknown image id 77");
        assertBad("{\"images\": [" + IMAGE + ", " + IMAGE + "]}", "images[1].id", "duplicate image id 1 (first at images[0])");
        assertBad("{\"images\": [" + IMAGE + "], \"categories\": [" + CATEGORY + ", " + CATEGORY + "]}",
                "categories[1].id", "duplicate category id 3 (first at categories[0])");
    }

    /** Two annotations giving one id (the COCO API would index only one of them); ids left out are positions, not ids given. */
    @Test
    void duplicateAnnotationIds() throws Exception {
        BadInputException e = assertBad(withAnnotations(ann("[1, 1, 2, 2]"), ann("[5, 5, 2, 2]")), "annotations[1].id",
                "duplicate annotation id 1 (first at annotations[0])");
        assertEquals("annotations[1].id", e.where());
        Path f = tmp.resolve("ok.json");
        Files.writeString(f, withAnnotations("{\"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 1, 2, 2]}", ann("[5, 5, 2, 2]")));
        assertEquals(2, CocoReader.read(f, ReadOptions.strict()).dataset().numAnnotations(), "the first, without an id, is not id 1");
        ReadResult skipping = CocoReader.read(tmp.resolve("bad.json"), ReadOptions.skipping());
        assertEquals(1, skipping.skipped());
        assertEquals(1f, skipping.dataset().images().get(0).annotations().get(0).x1(), "the first of the two is kept");
    }

    @Test
    void emptyDatasetFails() throws Exception {
        assertBad("{\"images\": [], \"annotations\": [], \"categories\": [" + CATEGORY + "]}", "images", "no images");
        assertBad("{\"info\": {}}", "images", "no images");
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nope.json");
        BadInputException e = assertThrows(BadInputException.class, () -> CocoReader.read(f, ReadOptions.strict()));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void skipBadSkipsAndCountsRecords() throws Exception {
        Path f = tmp.resolve("mixed.json");
        Files.writeString(f, """
                {"images": [
                   {"id": 1, "file_name": "a.jpg", "width": 100, "height": 50},
                   {"id": 2, "file_name": "b.jpg", "height": 50},
                   {"id": 1, "file_name": "dup.jpg", "width": 100, "height": 50},
                   "not an object",
                   {"id": 4, "file_name": "d.jpg", "width": 100, "height": 50}],
                 "categories": [{"id": 3, "name": "c"}],
                 "annotations": [
                   {"id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 1, 2, 2]},
                   {"id": 2, "image_id": 2, "category_id": 3, "bbox": [1, 1, 2, 2]},
                   {"id": 3, "image_id": 1, "category_id": 8, "bbox": [1, 1, 2, 2]},
                   {"id": 4, "image_id": 4, "category_id": 3, "bbox": [1, 1, "x", 2], "segmentation": [[1, 2]]},
                   {"id": 5, "image_id": 4, "category_id": 3, "bbox": [1, 1, 300, 2]},
                   {"id": 6, "image_id": 4, "category_id": 3, "bbox": [3, 4, 5, 6]}]}
                """);
        ReadResult r = CocoReader.read(f, ReadOptions.skipping());
        Dataset d = r.dataset();
        assertEquals(List.of(1L, 4L), d.images().stream().map(ImageRecord::id).toList());
        assertEquals("a", d.images().get(0).name()); // the first of the duplicates is kept
        assertEquals(List.of(1L), d.images().get(0).annotations().stream().map(a -> a.id()).toList());
        assertEquals(List.of(6L), d.images().get(1).annotations().stream().map(a -> a.id()).toList());
        // 3 images (no width, duplicate, not an object) + 4 annotations (skipped image, category, bbox, outside)
        assertEquals(7, r.skipped());
        assertEquals(7, r.skippedMessages().size());
        assertTrue(r.skippedMessages().get(0).contains("images[1].width: missing"), r.skippedMessages().get(0));
        assertTrue(r.skippedMessages().get(1).contains("images[2].id: duplicate image id 1"));
        assertTrue(r.skippedMessages().get(2).contains("images[3]: expected an object"));
        assertTrue(r.skippedMessages().get(3).contains("annotations[3].bbox"), r.skippedMessages().get(3));
        assertTrue(r.skippedMessages().get(4).contains("annotations[1].image_id: its image was skipped"));
        assertTrue(r.skippedMessages().get(5).contains("annotations[2].category_id: unknown category id 8"));
        assertTrue(r.skippedMessages().get(6).contains("annotations[4].bbox"));
    }

    @Test
    void skipBadKeepsTwentyMessagesButCountsAll() throws Exception {
        String[] anns = new String[25];
        for (int i = 0; i < 25; i++) anns[i] = "{\"image_id\": 1, \"category_id\": 3}";
        Path f = tmp.resolve("many.json");
        Files.writeString(f, withAnnotations(anns));
        ReadResult r = CocoReader.read(f, ReadOptions.skipping());
        assertEquals(25, r.skipped());
        assertEquals(20, r.skippedMessages().size());
        assertTrue(r.skippedMessages().get(19).contains("annotations[19].bbox: missing"));
    }

    @Test
    void skipBadStillFailsOnBrokenFiles() throws Exception {
        Path f = tmp.resolve("broken.json");
        Files.writeString(f, "{\"images\": [" + IMAGE + ", {\"id\": 2,]}");
        assertThrows(BadInputException.class, () -> CocoReader.read(f, ReadOptions.skipping()));
        Files.writeString(f, "{\"images\": [{\"id\": 2}]}");
        BadInputException e = assertThrows(BadInputException.class, () -> CocoReader.read(f, ReadOptions.skipping()));
        assertTrue(e.getMessage().contains("no usable images (1 records skipped)"), e.getMessage());
        Files.writeString(f, "{\"images\": [" + IMAGE + "], \"categories\": [" + CATEGORY + ", " + CATEGORY + "]}");
        assertThrows(BadInputException.class, () -> CocoReader.read(f, ReadOptions.skipping()));
    }
}
