package org.rcnn4j.data.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.rcnn4j.io.BadInputException;

/** What a good VOC directory reads as: box convention, ids, classes, splits. */
class VocReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsStandardClassesBoxesAndIds() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("VOC2007"));
        voc.image("000005", 500, 375, VocFixture.object("chair", 0, 263, 211, 324, 339),
                VocFixture.object("chair", 1, 5, 244, 67, 374));
        voc.xml("000007", """
                <annotation>
                  <size><width>500</width><height>333</height></size>
                  <object>
                    <name>person</name>
                    <part><name>head</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></part>
                    <bndbox><xmin>0</xmin><ymin>1</ymin><xmax>1</xmax><ymax>333</ymax></bndbox>
                  </object>
                </annotation>
                """);
        voc.split("trainval", "000005", "", "000007  1");
        ReadResult r = VocReader.read(voc.dir(), null, ReadOptions.strict());
        Dataset d = r.dataset();
        assertEquals(0, r.skipped());
        assertEquals(VocClasses.STANDARD, d.classNames());
        assertEquals(new Category(9, "chair"), d.categories().get(8));
        assertEquals(List.of(voc.dir()), d.imageDirs());
        ImageRecord im = d.images().get(0);
        assertEquals(5, im.id());
        assertEquals("000005", im.name());
        assertEquals("JPEGImages/000005.jpg", im.fileName());
        assertEquals(500, im.width());
        assertEquals(375, im.height());
        // 1-based inclusive 263..324 -> continuous [262, 324]: 62 pixels wide
        assertEquals(new Annotation(1, 9, 262, 210, 324, 339, 62.0 * 129, false, false), im.annotations().get(0));
        assertEquals(new Annotation(2, 9, 4, 243, 67, 374, 63.0 * 131, true, false), im.annotations().get(1));
        ImageRecord second = d.images().get(1);
        assertEquals(7, second.id());
        assertEquals("JPEGImages/000007.jpg", second.fileName()); // no <filename>: <stem>.jpg
        // xmin = 0 is 1 px outside a 1-based image: clipped to x1 = 0; the part's box is not an object
        assertEquals(List.of(new Annotation(3, 15, 0, 0, 1, 333, 333, false, false)), second.annotations());
    }

    @Test
    void nonStandardNamesAreSortedAndNonNumericStemsNumbered() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("d"));
        voc.image("img_b", 100, 100, VocFixture.object("zebra", 0, 1, 1, 10, 10), VocFixture.object("dog", 0, 1, 1, 10, 10));
        voc.image("img_a", 100, 100, VocFixture.object("ant", 0, 1, 1, 10, 10));
        voc.split("train", "img_b", "img_a");
        Dataset d = VocReader.read(voc.dir(), null, ReadOptions.strict()).dataset();
        assertEquals(List.of(new Category(1, "ant"), new Category(2, "dog"), new Category(3, "zebra")), d.categories());
        assertEquals(List.of(1L, 2L), d.images().stream().map(ImageRecord::id).toList());
        assertEquals(List.of(3, 2), d.images().get(0).annotations().stream().map(Annotation::categoryId).toList());
    }

    @Test
    void numericStemsThatCollideAreNumberedByPosition() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("d"));
        voc.image("5", 10, 10).image("005", 10, 10).image("9", 10, 10).split("val", "9", "5", "005");
        Dataset d = VocReader.read(voc.dir(), "val", ReadOptions.strict()).dataset();
        assertEquals(List.of(1L, 2L, 3L), d.images().stream().map(ImageRecord::id).toList());
        assertEquals(List.of("9", "5", "005"), d.images().stream().map(ImageRecord::name).toList());
    }

    @Test
    void explicitClassesGiveIdsInTheirOrder() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("d"));
        voc.image("1", 50, 50, VocFixture.object("b", 0, 1, 1, 5, 5), VocFixture.object("c", 0, 1, 1, 5, 5)).split("test", "1");
        List<String> classes = List.of("c", "b", "a");
        Dataset d = VocReader.read(voc.dir(), "test", classes, ReadOptions.strict()).dataset();
        assertEquals(classes, d.classNames());
        assertEquals(List.of(2, 1), d.images().get(0).annotations().stream().map(Annotation::categoryId).toList());
        ReadResult r = VocReader.read(voc.dir(), "test", List.of("b"), ReadOptions.skipping());
        assertEquals(1, r.skipped());
        assertTrue(r.skippedMessages().get(0).contains("object[2]/name: unknown class 'c'"), r.skippedMessages().get(0));
        assertThrows(IllegalArgumentException.class, () -> VocReader.read(voc.dir(), "test", List.of("b", "b"), ReadOptions.strict()));
    }

    @Test
    void defaultSplitPrefersTrainvalThenTrainThenTheOnlyOne() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("d"));
        voc.image("1", 10, 10).split("test", "1").split("aeroplane_test", "1 -1");
        assertEquals("test", VocReader.defaultSplit(voc.dir()));
        voc.split("val", "1");
        BadInputException e = assertThrows(BadInputException.class, () -> VocReader.defaultSplit(voc.dir()));
        assertTrue(e.getMessage().contains("[test, val]"), e.getMessage());
        voc.split("train", "1");
        assertEquals("train", VocReader.defaultSplit(voc.dir()));
        voc.split("trainval", "1");
        assertEquals("trainval", VocReader.defaultSplit(voc.dir()));
    }
}
