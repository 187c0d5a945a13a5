package org.rcnn4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;

/** COCO writing: the exact text, same bytes every time, and Dataset -> COCO -> Dataset unchanged. */
class CocoWriterTest {
    @TempDir
    Path tmp;

    private static Dataset tiny() {
        ImageRecord a = new ImageRecord(7, "a", "a.jpg", 64, 48, List.of(
                new Annotation(3, 5, 1, 2, 11.5f, 22, 123.5, false, true),
                new Annotation(4, 1, 0, 0, 64, 48, 3072, true, false)));
        ImageRecord b = new ImageRecord(2, "b", "sub/b.png", 10, 10, List.of());
        return new Dataset(null, List.of(), List.of(new Category(1, "one"), new Category(5, "five & \"more\"")), List.of(a, b));
    }

    @Test
    void writesExactText() throws Exception {
        Path f = tmp.resolve("out.json");
        CocoWriter.write(tiny(), f);
        String expected = """
                {
                "info":{"description":"written by rcnn4j"},
                "licenses":[],
                "images":[
                {"id":7,"file_name":"a.jpg","width":64,"height":48},
                {"id":2,"file_name":"sub/b.png","width":10,"height":10}
                ],
                "annotations":[
                {"id":3,"image_id":7,"category_id":5,"bbox":[1.0,2.0,10.5,20.0],"area":123.5,"iscrowd":1},
                {"id":4,"image_id":7,"category_id":1,"bbox":[0.0,0.0,64.0,48.0],"area":3072.0,"iscrowd":0,"difficult":1}
                ],
                "categories":[
                {"id":1,"name":"one"},
                {"id":5,"name":"five & \\"more\\""}
                ]
                }
                """;
        assertEquals(expected, Files.readString(f));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(f), files.toList()); // no temporary file left behind
        }
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        Dataset d = randomDataset(40, 11);
        Path f = tmp.resolve("rt.json");
        CocoWriter.write(d, f);
        Dataset back = CocoReader.read(f, ReadOptions.strict()).dataset();
        assertEquals(d.categories(), back.categories());
        assertEquals(d.images(), back.images());
        // and writing what was read gives the same bytes
        Path again = tmp.resolve("rt2.json");
        CocoWriter.write(back, again);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again));
    }

    @Test
    void renumbersAnnotationIdsOnlyWhenNotUnique() throws Exception {
        ImageRecord im = new ImageRecord(1, "a", "a.jpg", 10, 10, List.of(
                Annotation.of(5, 1, 0, 0, 1, 1), Annotation.of(5, 1, 1, 1, 2, 2), Annotation.of(0, 1, 2, 2, 3, 3)));
        Dataset d = new Dataset(null, List.of(), List.of(new Category(1, "c")), List.of(im));
        Path f = tmp.resolve("ids.json");
        CocoWriter.write(d, f);
        List<Annotation> back = CocoReader.read(f, ReadOptions.strict()).dataset().images().get(0).annotations();
        assertEquals(List.of(1L, 2L, 3L), back.stream().map(Annotation::id).toList());
    }

    @Test
    void extentReadsBackExactlyForAwkwardFloats() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] cases = {{0.1f, 0.3f}, {123.456f, 400.7f}, {0f, Float.MIN_VALUE}, {1e-30f, 7.25f}, {4095.999f, 4096f}};
        List<float[]> all = new ArrayList<>(List.of(cases));
        for (int i = 0; i < 2000; i++) {
            float lo = (float) r.nextDouble(0, 5000);
            all.add(new float[] {lo, lo + (float) r.nextDouble(1e-3, 3000)});
        }
        for (float[] c : all) {
            String[] s = CocoWriter.extent(c[0], c[1]);
            double x = Double.parseDouble(s[0]);
            assertEquals(c[0], (float) x);
            assertEquals(c[1], (float) (x + Double.parseDouble(s[1])), () -> c[0] + " " + c[1]);
        }
        assertArrayEquals(new String[] {"1.5", "2.25"}, CocoWriter.extent(1.5f, 3.75f));
    }

    /** Images with random float boxes (inside the image), flags and areas. */
    static Dataset randomDataset(int images, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ImageRecord> records = new ArrayList<>();
        long annId = 1;
        for (int i = 0; i < images; i++) {
            int w = r.nextInt(16, 800), h = r.nextInt(16, 800);
            List<Annotation> anns = new ArrayList<>();
            for (int k = r.nextInt(0, 6); k > 0; k--) {
                float x1 = (float) r.nextDouble(0, w - 2), y1 = (float) r.nextDouble(0, h - 2);
                float x2 = (float) r.nextDouble(x1 + 1, w), y2 = (float) r.nextDouble(y1 + 1, h);
                anns.add(new Annotation(annId++, 2 * r.nextInt(1, 4), x1, y1, x2, y2, r.nextDouble(0, 1e5),
                        r.nextInt(5) == 0, r.nextInt(7) == 0));
            }
            String name = String.format("%06d", 1000 - i);
            records.add(new ImageRecord(1000 - i, name, name + ".jpg", w, h, anns));
        }
        return new Dataset(null, List.of(), List.of(new Category(2, "b"), new Category(4, "d"), new Category(6, "f")), records);
    }
}
