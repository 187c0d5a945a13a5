package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

class ResultsWriterTest {
    @TempDir
    Path tmp;

    private final Dataset gt = ResultsReaderTest.dataset();

    /** Awkward floats of every magnitude, boxes past the image, and zero-size boxes. */
    private List<Detection> randomDetections(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] images = {5, 9, 12};
        int[] cats = {7, 3, 4};
        List<Detection> dets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double scale = Math.pow(10, r.nextInt(-3, 6));
            float x1 = (float) (r.nextDouble(-0.5, 1) * scale);
            float y1 = (float) (r.nextDouble(-0.5, 1) * scale);
            float x2 = r.nextInt(10) == 0 ? x1 : (float) (x1 + r.nextDouble() * scale);
            float y2 = (float) (y1 + r.nextDouble() * scale);
            float score = (float) Math.pow(10, r.nextDouble(-8, 1));
            dets.add(new Detection(images[r.nextInt(3)], cats[r.nextInt(3)], x1, y1, x2, y2, score));
        }
        dets.add(new Detection(5, 7, 12.34567f, 0.1f, 99.99999f, 1e6f + 0.5f, 0.3333333f));
        return dets;
    }

    @Test
    void cocoRoundTripIsExact() throws IOException {
        List<Detection> dets = randomDetections(1, 2000);
        Path f = tmp.resolve("out/dt.json");
        ResultsWriter.writeCoco(dets, gt, f);
        assertEquals(dets, ResultsReader.read(f, gt));
        ResultsWriter.writeCoco(List.of(), gt, f);
        assertEquals(List.of(), ResultsReader.read(f, gt));
    }

    @Test
    void cocoContent() throws IOException {
        Path f = tmp.resolve("dt.json");
        ResultsWriter.writeCoco(List.of(new Detection(9, 3, 0, 1, 10, 20.5f, 0.75f)), gt, f);
        JsonNode e = new ObjectMapper().readTree(f.toFile()).get(0);
        assertEquals(9, e.get("image_id").asLong());
        assertEquals(3, e.get("category_id").asInt());
        assertEquals("[0,1,10,19.5]", e.get("bbox").toString());
        assertEquals(0.75, e.get("score").asDouble(), 0.0);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList(), "no temporary files left behind");
        }
    }

    @Test
    void vocRoundTripIsExact() throws IOException {
        List<Detection> dets = randomDetections(2, 2000);
        Path dir = tmp.resolve("results");
        ResultsWriter.writeVoc(dets, gt, dir, "test");
        // the reader returns class order, then file order (the writer keeps input order per class)
        List<Detection> expected = new ArrayList<>(dets);
        expected.sort(Comparator.comparingInt(d -> gt.classIndex(d.categoryId())));
        assertEquals(expected, ResultsReader.read(dir, gt, "test"));
        assertEquals(expected, ResultsReader.read(dir, gt));
    }

    @Test
    void vocContentAndEmptyClassFiles() throws IOException {
        Path dir = tmp.resolve("results");
        ResultsWriter.writeVoc(List.of(new Detection(5, 7, 0, 1, 10, 20, 0.9f),
                new Detection(9, 7, -0.5f, 1e-5f, 30.25f, 40, 1e-7f)), gt, dir, "val");
        assertEquals("000005 0.9 1 2 10 20\nimg_x 0.0000001 0.5 1.00001 30.25 40\n",
                Files.readString(dir.resolve("comp4_det_val_cat.txt")));
        assertEquals("", Files.readString(dir.resolve("comp4_det_val_dog_big.txt")));
        assertEquals("", Files.readString(dir.resolve("comp4_det_val_big.txt")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "one file per class and nothing else");
        }
    }

    @Test
    void rejectsWhatCannotBeWritten() {
        Path dir = tmp.resolve("results");
        assertThrows(IllegalArgumentException.class,
                () -> ResultsWriter.writeVoc(List.of(new Detection(99, 7, 0, 0, 1, 1, 1)), gt, dir, "test"));
        assertThrows(IllegalArgumentException.class,
                () -> ResultsWriter.writeCoco(List.of(new Detection(5, 8, 0, 0, 1, 1, 1)), gt, dir.resolve("a.json")));
        assertThrows(IllegalArgumentException.class,
                () -> ResultsWriter.writeCoco(List.of(new Detection(5, 7, 0, 0, Float.NaN, 1, 1)), gt, dir.resolve("a.json")));
        Dataset spaced = new Dataset(null, List.of(), List.of(new Category(1, "a")),
                List.of(new ImageRecord(1, "my image", "my image.jpg", 10, 10, List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> ResultsWriter.writeVoc(List.of(new Detection(1, 1, 0, 0, 1, 1, 1)), spaced, dir, "test"));
    }
}
