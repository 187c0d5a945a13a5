package org.rcnn4j.data.voc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;

/** VOC writing: exact XML, VOC -> Dataset -> VOC unchanged, float boxes exact. */
class VocWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesExactXmlAndSplit() throws Exception {
        ImageRecord im = new ImageRecord(5, "000005", "images/000005.png", 500, 375, List.of(
                new Annotation(1, 2, 262, 210, 324, 339, 0, false, false),
                new Annotation(2, 1, 0.5f, 0, 1.25f, 375, 0, true, false)));
        Dataset d = new Dataset(null, List.of(), List.of(new Category(1, "a<b"), new Category(2, "chair")), List.of(im));
        VocWriter.write(d, tmp, "val");
        assertEquals("""
                <annotation>
                  <folder>JPEGImages</folder>
                  <filename>000005.png</filename>
                  <size>
                    <width>500</width>
                    <height>375</height>
                    <depth>3</depth>
                  </size>
                  <object>
                    <name>chair</name>
                    <difficult>0</difficult>
                    <bndbox>
                      <xmin>263</xmin>
                      <ymin>211</ymin>
                      <xmax>324</xmax>
                      <ymax>339</ymax>
                    </bndbox>
                  </object>
                  <object>
                    <name>a&lt;b</name>
                    <difficult>1</difficult>
                    <bndbox>
                      <xmin>1.5</xmin>
                      <ymin>1</ymin>
                      <xmax>1.25</xmax>
                      <ymax>375</ymax>
                    </bndbox>
                  </object>
                </annotation>
                """, Files.readString(tmp.resolve("Annotations/000005.xml")));
        assertEquals("000005\n", Files.readString(tmp.resolve("ImageSets/Main/val.txt")));
    }

    @Test
    void vocToDatasetToVocRoundTrip() throws Exception {
        VocFixture voc = new VocFixture(tmp.resolve("in"));
        voc.image("000012", 500, 333, VocFixture.object("car", 0, 156, 97, 351, 270));
        voc.image("000017", 480, 364, VocFixture.object("person", 0, 185, 62, 279, 199),
                VocFixture.object("horse", 1, 1, 1, 480, 364));
        voc.image("000023", 334, 500).split("trainval", "000017", "000012", "000023");
        Dataset first = VocReader.read(voc.dir(), "trainval", ReadOptions.strict()).dataset();
        Path out = tmp.resolve("out");
        VocWriter.write(first, out, "trainval");
        Dataset second = VocReader.read(out, "trainval", ReadOptions.strict()).dataset();
        assertEquals(first.categories(), second.categories());
        assertEquals(first.images(), second.images());
        assertEquals(3, second.numAnnotations());
        // the same dataset written again gives the same bytes
        Path again = tmp.resolve("again");
        VocWriter.write(second, again, "trainval");
        for (String f : List.of("Annotations/000017.xml", "Annotations/000012.xml", "ImageSets/Main/trainval.txt")) {
            assertArrayEquals(Files.readAllBytes(out.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }

    @Test
    void fractionalBoxesReadBackExactly() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        List<ImageRecord> images = new ArrayList<>();
        long annId = 1;
        for (int i = 1; i <= 30; i++) {
            List<Annotation> anns = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                float x1 = (float) r.nextDouble(0, 300), y1 = (float) r.nextDouble(0, 200);
                float x2 = (float) r.nextDouble(x1 + 0.01, 400), y2 = (float) r.nextDouble(y1 + 0.01, 300);
                anns.add(new Annotation(annId++, 1 + k % 2, x1, y1, x2, y2, (double) (x2 - x1) * (y2 - y1), k == 3, false));
            }
            String stem = Integer.toString(i);
            images.add(new ImageRecord(i, stem, "JPEGImages/" + stem + ".jpg", 400, 300, anns));
        }
        Dataset d = new Dataset(null, List.of(), List.of(new Category(1, "x"), new Category(2, "y")), images);
        VocWriter.write(d, tmp, "train");
        Dataset back = VocReader.read(tmp, "train", ReadOptions.strict()).dataset();
        assertEquals(d.categories(), back.categories());
        assertEquals(d.images(), back.images());
    }

    @Test
    void refusesNamesThatAreNotFileNames() {
        ImageRecord im = new ImageRecord(1, "../evil", "x.jpg", 10, 10, List.of());
        Dataset d = new Dataset(null, List.of(), List.of(), List.of(im));
        assertThrows(IllegalArgumentException.class, () -> VocWriter.write(d, tmp, "train"));
    }
}
