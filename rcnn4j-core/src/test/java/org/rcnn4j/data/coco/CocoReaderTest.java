package org.rcnn4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;

/** What a good COCO file reads as: conventions, defaults, key order, categories with gaps. */
class CocoReaderTest {
    @TempDir
    Path tmp;

    /** Annotations before images and categories out of id order, extra fields everywhere. */
    static final String SAMPLE = """
            {"annotations": [
               {"id": 10, "image_id": 42, "category_id": 7, "bbox": [10, 20, 30.5, 40],
                "segmentation": [[10, 20, 40.5, 20, 40.5, 60]], "area": 700.25, "iscrowd": 0, "extra": {"a": [1, 2]}},
               {"id": 11, "image_id": 3, "category_id": 2, "bbox": [0, 0, 5, 5], "iscrowd": 1,
                "segmentation": {"counts": [1, 2, 3], "size": [8, 8]}},
               {"id": 12, "image_id": 42, "category_id": 2, "bbox": [-0.5, 1, 100.8, 50]}
             ],
             "info": {"year": 2017, "contributors": ["x"]},
             "images": [
               {"id": 42, "file_name": "train/abc.def.jpg", "width": 100, "height": 80, "license": 1},
               {"id": 3, "file_name": "b.png", "width": 16, "height": 16},
               {"id": 5, "file_name": "empty", "width": 10, "height": 10}
             ],
             "categories": [
               {"id": 7, "name": "seven", "supercategory": "s"},
               {"id": 2, "name": "two"}
             ]}
            """;

    Path write(String json) throws Exception {
        Path f = tmp.resolve("annotations.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void readsSampleWithConventionsAndDefaults() throws Exception {
        Path f = write(SAMPLE);
        ReadResult r = CocoReader.read(f, ReadOptions.strict());
        Dataset d = r.dataset();
        assertEquals(0, r.skipped());
        assertEquals(f, d.source());
        Path dir = f.toAbsolutePath().getParent();
        assertEquals(List.of(dir, dir.resolve("images")), d.imageDirs());
        // categories ordered by id, whatever the file order: class 1 is id 2
        assertEquals(List.of(new Category(2, "two"), new Category(7, "seven")), d.categories());
        assertEquals(2, d.classIndex(7));
        // images in file order; name = base name without the last extension
        assertEquals(List.of(42L, 3L, 5L), d.images().stream().map(ImageRecord::id).toList());
        ImageRecord im = d.images().get(0);
        assertEquals("abc.def", im.name());
        assertEquals("train/abc.def.jpg", im.fileName());
        assertEquals(100, im.width());
        assertEquals(80, im.height());
        assertEquals("empty", d.images().get(2).name());
        assertTrue(d.images().get(2).annotations().isEmpty());
        // annotations attached in file order, bbox [x, y, w, h] -> x1 = x, x2 = x + w
        assertEquals(new Annotation(10, 7, 10, 20, 40.5f, 60, 700.25, false, false), im.annotations().get(0));
        // 0.5 px past the left and 0.8 px past the right border: clipped, area defaults to the clipped box
        Annotation clipped = im.annotations().get(1);
        assertEquals(new Annotation(12, 2, 0, 1, 100, 51, 100.0 * 50, false, false), clipped);
        Annotation crowd = d.image(3).orElseThrow().annotations().get(0);
        assertTrue(crowd.crowd());
        assertEquals(25.0, crowd.area());
    }

    @Test
    void defaultsAnnotationIdToPositionAndReadsDifficultExtension() throws Exception {
        Path f = write("""
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 10, "height": 10}],
                 "categories": [{"id": 1, "name": "c"}],
                 "annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2]},
                                 {"image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2], "difficult": 1, "iscrowd": false}]}
                """);
        List<Annotation> anns = CocoReader.read(f, ReadOptions.strict()).dataset().images().get(0).annotations();
        assertEquals(1, anns.get(0).id());
        assertEquals(2, anns.get(1).id());
        assertFalse(anns.get(0).difficult());
        assertTrue(anns.get(1).difficult());
        assertFalse(anns.get(1).crowd());
    }

    @Test
    void imageWithoutAnnotationsArrayIsValid() throws Exception {
        Path f = write("{\"images\": [{\"id\": 9, \"file_name\": \"a.jpg\", \"width\": 4, \"height\": 3, \"id2\": null}]}");
        Dataset d = CocoReader.read(f, ReadOptions.strict()).dataset();
        assertEquals(1, d.images().size());
        assertEquals(0, d.numClasses());
        assertEquals(0, d.numAnnotations());
    }

    @Test
    void acceptsWholeNumbersWrittenAsFloats() throws Exception {
        Path f = write("""
                {"images": [{"id": 1.0, "file_name": "a.jpg", "width": 10.0, "height": 1e1}],
                 "categories": [{"id": 3, "name": "c"}],
                 "annotations": [{"id": 5.0, "image_id": 1, "category_id": 3.0, "bbox": [1e0, 2, 3, 4]}]}
                """);
        ImageRecord im = CocoReader.read(f, ReadOptions.strict()).dataset().images().get(0);
        assertEquals(10, im.height());
        assertEquals(Annotation.of(5, 3, 1, 2, 4, 6), im.annotations().get(0));
    }
}
