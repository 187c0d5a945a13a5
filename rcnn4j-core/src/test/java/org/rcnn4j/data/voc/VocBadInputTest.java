package org.rcnn4j.data.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.io.BadInputException;

/** Every kind of bad VOC input: the message names the XML or split file and the line and element. */
class VocBadInputTest {
    @TempDir
    Path tmp;

    VocFixture voc;

    @BeforeEach
    void setUp() throws Exception {
        voc = new VocFixture(tmp.resolve("voc"));
    }

    private static final String GOOD = VocFixture.object("dog", 0, 10, 10, 50, 50);

    /** Reads the "train" split strictly, expecting a failure naming {@code file}, {@code where} and {@code what}. */
    private BadInputException assertBad(Path file, String where, String what) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> VocReader.read(voc.dir(), "train", ReadOptions.strict()));
        assertEquals(file.toString(), e.file(), e.getMessage());
        assertTrue(e.getMessage().contains(where), () -> "expected '" + where + "' in: " + e.getMessage());
        assertTrue(e.getMessage().contains(what), () -> "expected '" + what + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void malformedXmlNamesTheLine() throws Exception {
        voc.xml("1", "<annotation>\n  <size><width>5</width>\n  <height>5</heigth></size>\n</annotation>\n").split("train", "1");
        BadInputException e = assertBad(voc.xmlFile("1"), "line 3", "malformed XML");
        assertEquals("line 3", e.where());
        // malformed XML fails even when skipping bad records
        assertThrows(BadInputException.class, () -> VocReader.read(voc.dir(), "train", ReadOptions.skipping()));
    }

    @Test
    void missingOrBadSize() throws Exception {
        voc.xml("1", "<annotation>\n<size>\n<height>5</height>\n</size>\n</annotation>").split("train", "1");
        assertBad(voc.xmlFile("1"), "size/width", "missing");
        voc.xml("1", "<annotation>\n<size>\n<width>abc</width>\n<height>5</height>\n</size>\n</annotation>");
        assertBad(voc.xmlFile("1"), "line 3, size/width", "not a number: 'abc'");
        voc.xml("1", "<annotation>\n<size>\n<width>5</width>\n<height>0</height>\n</size>\n</annotation>");
        assertBad(voc.xmlFile("1"), "line 4, size/height", "expected a positive whole number");
    }

    @Test
    void missingAndBadBoxFields() throws Exception {
        voc.split("train", "1");
        voc.image("1", 100, 100, GOOD, GOOD.replace("      <xmax>50</xmax>\n", ""));
        assertBad(voc.xmlFile("1"), "line 21, object[2]/bndbox/xmax", "missing");
        voc.image("1", 100, 100, GOOD.replace("<ymin>10<", "<ymin>NaN<"));
        assertBad(voc.xmlFile("1"), "line 16, object[1]/bndbox/ymin", "not a finite number");
        voc.image("1", 100, 100, GOOD.replace("<ymin>10<", "<ymin>ten<"));
        assertBad(voc.xmlFile("1"), "line 16, object[1]/bndbox/ymin", "not a number: 'ten'");
        voc.image("1", 100, 100, GOOD.replace("<name>dog</name>", ""));
        assertBad(voc.xmlFile("1"), "line 9, object[1]/name", "missing");
        voc.image("1", 100, 100, GOOD.replace("<difficult>0<", "<difficult>yes<"));
        assertBad(voc.xmlFile("1"), "line 13, object[1]/difficult", "expected 0 or 1");
    }

    @Test
    void emptyAndOutsideBoxes() throws Exception {
        voc.split("train", "1");
        // xmin = xmax + 1: zero pixels wide (xmin = xmax would be one pixel)
        voc.image("1", 100, 100, VocFixture.object("dog", 0, 11, 10, 10, 50));
        assertBad(voc.xmlFile("1"), "line 9, object[1]/bndbox", "empty box");
        voc.image("1", 100, 100, VocFixture.object("dog", 0, 10, 10, 102, 50));
        assertBad(voc.xmlFile("1"), "line 9, object[1]/bndbox", "outside the 100x100 image");
        voc.image("1", 100, 100, VocFixture.object("dog", 0, 10, 10, 101, 50), VocFixture.object("dog", 0, 10, 10, 10, 10));
        ImageRecord im = VocReader.read(voc.dir(), "train", ReadOptions.strict()).dataset().images().get(0);
        assertEquals(100f, im.annotations().get(0).x2()); // 1 px past the border: clipped
        assertEquals(9f, im.annotations().get(1).x1()); // xmin = xmax: one pixel
        assertEquals(10f, im.annotations().get(1).x2());
    }

    @Test
    void splitProblems() throws Exception {
        voc.image("1", 10, 10).split("train", "1", "2");
        assertBad(voc.splitFile("train"), "line 2", "annotation file not found");
        voc.split("train", "1", "1");
        assertBad(voc.splitFile("train"), "line 2", "duplicate image 1 (also line 1)");
        voc.split("train", "", "  ");
        assertBad(voc.splitFile("train"), "train.txt", "lists no images");
        Files.delete(voc.splitFile("train"));
        assertBad(voc.splitFile("train"), "train.txt", "no such split file");
    }

    @Test
    void notAVocDirectory() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        BadInputException e = assertThrows(BadInputException.class, () -> VocReader.read(plain, "train", ReadOptions.strict()));
        assertEquals(plain + ": not a Pascal VOC directory: no Annotations/ folder", e.getMessage());
    }

    @Test
    void skipBadSkipsObjectsAndImages() throws Exception {
        voc.image("1", 100, 100, GOOD, VocFixture.object("dog", 0, 10, 10, 150, 50), GOOD);
        voc.xml("2", "<annotation><size><width>x</width><height>5</height></size></annotation>");
        voc.image("4", 100, 100, GOOD);
        voc.split("train", "1", "2", "3", "4", "4");
        ReadResult r = VocReader.read(voc.dir(), "train", ReadOptions.skipping());
        assertEquals(List.of(1L, 4L), r.dataset().images().stream().map(ImageRecord::id).toList());
        assertEquals(2, r.dataset().images().get(0).annotations().size());
        assertEquals(List.of(1L, 2L), r.dataset().images().get(0).annotations().stream().map(a -> a.id()).toList());
        assertEquals(4, r.skipped()); // an object, a bad size, a missing file, a duplicate line
        assertTrue(r.skippedMessages().get(0).contains("object[2]/bndbox"), r.skippedMessages().get(0));
        assertTrue(r.skippedMessages().get(1).contains("size/width"));
        assertTrue(r.skippedMessages().get(2).contains("train.txt: line 3: annotation file not found"));
        assertTrue(r.skippedMessages().get(3).contains("line 5: duplicate image 4"));
        // nothing usable is still an error
        voc.split("train", "2", "3");
        assertThrows(BadInputException.class, () -> VocReader.read(voc.dir(), "train", ReadOptions.skipping()));
    }
}
