package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

class DetectionLoaderTest {
    private static final Normalize IDENTITY = new Normalize(new float[3], new float[] {1, 1, 1}, false);
    private static final List<Category> CATEGORIES = List.of(new Category(1, "a"), new Category(7, "b"));

    @TempDir
    Path dir;

    /** Seven images of assorted sizes; image i has i % 3 objects (image 0 none) of category 7 or 1. */
    private Dataset sevenImages() {
        List<ImageRecord> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int w = 40 + 9 * i, h = 60 - 4 * i;
            TestImages.write(dir.resolve("img" + i + ".png"), TestImages.rgbPattern(w, h), "png");
            List<Annotation> objects = new ArrayList<>();
            for (int k = 0; k < i % 3; k++) objects.add(Annotation.of(10L * i + k, k == 0 ? 7 : 1, 2 + k, 3, 20 + k, 30));
            records.add(new ImageRecord(i, "img" + i, "img" + i + ".png", w, h, objects));
        }
        return new Dataset(dir.resolve("annotations.json"), List.of(dir), CATEGORIES, records);
    }

    private static LoaderConfig config(long seed) {
        return new LoaderConfig(2, new int[] {30, 50, 70}, 120, 0.5, true, seed, IDENTITY, 0, false, 1, null);
    }

    private static List<DetectionBatch> drain(Iterator<DetectionBatch> it) {
        List<DetectionBatch> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static void assertSameBatches(List<DetectionBatch> x, List<DetectionBatch> y) {
        assertEquals(x.size(), y.size());
        for (int b = 0; b < x.size(); b++) {
            assertArrayEquals(x.get(b).pixels(), y.get(b).pixels(), 0f, "batch " + b);
            for (int n = 0; n < x.get(b).size(); n++) {
                BatchImage p = x.get(b).image(n), q = y.get(b).image(n);
                assertEquals(p.record().id(), q.record().id());
                assertEquals(p.scale(), q.scale());
                assertEquals(p.flipped(), q.flipped());
                assertArrayEquals(p.boxes(), q.boxes(), 0f);
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalBatchesWhateverTheThreadCount() {
        Dataset ds = sevenImages();
        try (DetectionLoader serial = new DetectionLoader(ds, config(42));
             DetectionLoader parallel = new DetectionLoader(ds, config(42).withThreads(3));
             DetectionLoader other = new DetectionLoader(ds, config(43).withThreads(2))) {
            for (int epoch = 0; epoch < 2; epoch++) {
                List<DetectionBatch> a = drain(serial.epoch(epoch));
                assertEquals(4, a.size()); // 7 images in batches of 2: 2, 2, 2, 1
                assertEquals(1, a.get(3).size());
                assertSameBatches(a, drain(parallel.epoch(epoch)));
            }
            assertSameBatches(drain(serial.iterations(9)), drain(parallel.iterations(9)));
            assertFalse(Arrays.equals(serial.order(0), other.order(0)) && Arrays.equals(serial.order(1), other.order(1)));
        }
    }

    @Test
    void epochVisitsEveryImageOnceAndIterationsCrossEpochs() {
        Dataset ds = sevenImages();
        try (DetectionLoader loader = new DetectionLoader(ds, config(5).withThreads(2))) {
            Set<Long> seen = new HashSet<>();
            for (DetectionBatch b : drain(loader.epoch(3))) for (BatchImage t : b.images()) assertTrue(seen.add(t.record().id()));
            assertEquals(7, seen.size());
            assertNotEquals(Arrays.toString(loader.order(0)), Arrays.toString(loader.order(1)));
            List<DetectionBatch> run = drain(loader.iterations(5));
            assertEquals(5, run.size());
            // Batch 3 holds stream positions 6 (last of epoch 0) and 7 (first of epoch 1).
            assertEquals(loader.order(0)[6], (int) run.get(3).image(0).record().id());
            assertEquals(loader.order(1)[0], (int) run.get(3).image(1).record().id());
            // Resuming at batch 3 gives the same batches 3 and 4.
            assertSameBatches(run.subList(3, 5), drain(loader.iterations(3, 2)));
        }
    }

    @Test
    void scalesAndFlipsAreDrawnPerImage() {
        Dataset ds = sevenImages();
        try (DetectionLoader loader = new DetectionLoader(ds, config(11))) {
            Set<Integer> scales = new HashSet<>();
            int flips = 0, total = 0;
            for (int epoch = 0; epoch < 6; epoch++) {
                for (DetectionBatch b : drain(loader.epoch(epoch))) {
                    for (BatchImage t : b.images()) {
                        scales.add(t.shortSide());
                        flips += t.flipped() ? 1 : 0;
                        total++;
                        int min = Math.min(t.originalWidth(), t.originalHeight()), max = Math.max(t.originalWidth(), t.originalHeight());
                        assertEquals(Resize.scaleFactor(t.originalWidth(), t.originalHeight(), t.shortSide(), 120), t.scale());
                        assertTrue(Math.min(t.width(), t.height()) == t.shortSide() || Math.max(t.width(), t.height()) == 120,
                                min + "x" + max + " → " + t.width() + "x" + t.height());
                    }
                }
            }
            assertEquals(Set.of(30, 50, 70), scales);
            assertTrue(flips > total / 5 && flips < total * 4 / 5, flips + " flips of " + total);
        }
    }

    @Test
    void fastRcnnScaleRuleThroughTheLoader() {
        // 500x375 with s = 600, max 1000 → 1.6 (800x600); 2000x100 → 0.5 (1000x50).
        TestImages.write(dir.resolve("wide.png"), new BufferedImage(500, 375, BufferedImage.TYPE_3BYTE_BGR), "png");
        TestImages.write(dir.resolve("strip.png"), new BufferedImage(2000, 100, BufferedImage.TYPE_3BYTE_BGR), "png");
        List<ImageRecord> records = List.of(
                new ImageRecord(1, "wide", "wide.png", 500, 375, List.of(Annotation.of(1, 7, 10, 20, 30, 40))),
                new ImageRecord(2, "strip", "strip.png", 2000, 100, List.of(Annotation.of(2, 1, 100, 10, 300, 90))));
        Dataset ds = new Dataset(null, List.of(dir), CATEGORIES, records);
        LoaderConfig c = LoaderConfig.evaluation(600, 1000).withNormalize(IDENTITY).withThreads(0);
        try (DetectionLoader loader = new DetectionLoader(ds, c)) {
            List<DetectionBatch> batches = drain(loader.epoch(0));
            BatchImage wide = batches.get(0).image(0), strip = batches.get(1).image(0);
            assertEquals(1.6, wide.scale(), 1e-12);
            assertArrayEquals(new long[] {1, 3, 600, 800}, batches.get(0).shape());
            assertArrayEquals(new float[] {16, 32, 48, 64}, wide.boxes(), 1e-4f);
            assertArrayEquals(new int[] {2}, wide.classes()); // category 7 is class 2
            assertEquals(0.5, strip.scale(), 1e-12);
            assertEquals(1000, strip.width());
            assertEquals(50, strip.height());
            assertArrayEquals(new float[] {50, 5, 150, 45}, strip.boxes(), 1e-4f);
            assertArrayEquals(new int[] {1}, strip.classes());
        }
    }

    /** One 100×80 black image with a white block exactly under its one box [10, 20, 30, 40]. */
    private Dataset block() {
        BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 20; y < 40; y++) for (int x = 10; x < 30; x++) img.setRGB(x, y, 0xFFFFFF);
        TestImages.write(dir.resolve("block.png"), img, "png");
        ImageRecord rec = new ImageRecord(1, "block", "block.png", 100, 80, List.of(Annotation.of(1, 1, 10, 20, 30, 40)));
        return new Dataset(null, List.of(dir), CATEGORIES, List.of(rec));
    }

    @Test
    void flipMovesBoxesWithThePixels() {
        // s = 80 keeps scale 1.
        Dataset ds = block();
        LoaderConfig c = new LoaderConfig(1, new int[] {80}, 1000, 1.0, false, 3, IDENTITY, 0, false, 1, null);
        try (DetectionLoader loader = new DetectionLoader(ds, c)) {
            DetectionBatch b = loader.epoch(0).next();
            BatchImage t = b.image(0);
            assertTrue(t.flipped());
            assertEquals(1.0, t.scale());
            assertArrayEquals(new float[] {70, 20, 90, 40}, t.boxes(), 0f);
            for (int x = 0; x < 100; x++) {
                float green = b.pixels()[1 * 80 * 100 + 30 * 100 + x];
                assertEquals(x >= 70 && x < 90 ? 255f : 0f, green, "column " + x);
            }
        }
    }

    /**
     * A crop and a colour jitter: the white block stays exactly under its box whatever window and
     * scale are drawn, the same seed repeats the batches, and the scale and flip draws are those of
     * a run without augmentation.
     */
    @Test
    void cropAndJitterMoveBoxesWithPixelsRepeatForASeedAndKeepTheScaleAndFlipDraws() {
        Dataset ds = block();
        Augmentation augment = new Augmentation(new RandomCrop(1, 0.5, 0.99), new PhotometricJitter(0.3, 0.3, 0, 0, 0));
        LoaderConfig plain = new LoaderConfig(1, new int[] {40, 80, 160}, 1000, 0.5, true, 5, IDENTITY, 0, false, 1, null);
        LoaderConfig c = plain.withAugmentation(augment);
        Set<String> windows = new HashSet<>();
        try (DetectionLoader loader = new DetectionLoader(ds, c); DetectionLoader again = new DetectionLoader(ds, c);
                DetectionLoader without = new DetectionLoader(ds, plain)) {
            for (int epoch = 0; epoch < 12; epoch++) {
                PreparedImage p = loader.load(epoch, 0);
                PreparedImage q = again.load(epoch, 0);
                PreparedImage u = without.load(epoch, 0);
                BatchImage t = p.image();
                assertArrayEquals(p.pixels().pixels(), q.pixels().pixels(), "epoch " + epoch + ": same seed, same bytes");
                assertEquals(u.image().shortSide(), t.shortSide(), "the scale draw is unchanged");
                assertEquals(u.image().flipped(), t.flipped(), "the flip draw is unchanged");
                assertEquals(1, t.numObjects(), "a 0.99 visible rule never keeps a cut box, and the crop never empties the image");
                windows.add(t.cropX() + "," + t.cropY() + "," + t.originalWidth() + "x" + t.originalHeight());
                // Inside the box the block; outside it one uniform background level that the jitter
                // lifted from black by its contrast blend (a margin of one source pixel for resampling).
                float[] b = t.box(0);
                RgbImage px = p.pixels();
                int inside = px.get((int) ((b[0] + b[2]) / 2), (int) ((b[1] + b[3]) / 2), 0);
                int background = -1;
                double m = Math.max(1, t.scale());
                for (int x = 0; x < px.width(); x++) {
                    for (int y = 0; y < px.height(); y++) {
                        if (x >= b[0] - m && x <= b[2] + m && y >= b[1] - m && y <= b[3] + m) continue;
                        if (background < 0) background = px.get(x, y, 1);
                        assertEquals(background, px.get(x, y, 1), 1, "epoch " + epoch + ": pixel " + x + "," + y + " outside the box");
                    }
                }
                assertTrue(inside > background + 100, "epoch " + epoch + ": the box's centre is on the block, got "
                        + inside + " on a background of " + background);
            }
        }
        assertTrue(windows.size() >= 6, "the windows differ from epoch to epoch: " + windows);
    }

    @Test
    void missingImageFailsNamingTheFileOrIsSkippedAndCounted() throws Exception {
        Dataset ds = sevenImages();
        Path gone = dir.resolve("img4.png");
        Files.delete(gone);
        LoaderConfig c = config(1).withThreads(2).withShuffle(false);
        try (DetectionLoader loader = new DetectionLoader(ds, c)) {
            BadInputException e = assertThrows(BadInputException.class, () -> drain(loader.epoch(0)));
            assertEquals(gone.toString(), e.file());
            assertEquals(gone + ": image file not found", e.getMessage());
        }
        try (DetectionLoader loader = new DetectionLoader(ds, c.withSkipBad(true))) {
            List<DetectionBatch> batches = drain(loader.epoch(0));
            assertEquals(3, batches.size()); // 6 readable images in full batches of 2
            assertEquals(List.of(5L, 6L), batches.get(2).images().stream().map(t -> t.record().id()).toList());
            assertEquals(1, loader.skippedImages());
            assertTrue(loader.skippedMessages().get(0).contains("img4.png"));
        }
    }

    @Test
    void damagedFilesSizeMismatchAndUnknownCategoryAreBadInput() throws Exception {
        Dataset ds = sevenImages();
        byte[] png = Files.readAllBytes(dir.resolve("img1.png"));
        Files.write(dir.resolve("img1.png"), Arrays.copyOf(png, png.length - 20));
        byte[] jpg = TestImages.encode(TestImages.rgbPattern(58, 48), "jpg");
        Files.write(dir.resolve("img2.png"), Arrays.copyOf(jpg, jpg.length / 2)); // a JPEG under a .png name, cut
        try (DetectionLoader loader = new DetectionLoader(ds, config(1))) {
            assertTrue(assertThrows(BadInputException.class, () -> loader.load(0, 1)).getMessage().contains("truncated PNG"));
            assertTrue(assertThrows(BadInputException.class, () -> loader.load(0, 2)).getMessage().contains("truncated JPEG"));
        }
        ImageRecord wrongSize = new ImageRecord(0, "img0", "img0.png", 41, 60, List.of());
        ImageRecord unknown = new ImageRecord(3, "img3", "img3.png", 67, 48, List.of(Annotation.of(9, 99, 1, 1, 5, 5)));
        Dataset bad = new Dataset(null, List.of(dir), CATEGORIES, List.of(wrongSize, unknown));
        try (DetectionLoader loader = new DetectionLoader(bad, config(1))) {
            assertTrue(assertThrows(BadInputException.class, () -> loader.load(0, 0)).getMessage()
                    .endsWith("image is 40x60 pixels but the annotations say 41x60"));
            assertTrue(assertThrows(BadInputException.class, () -> loader.load(0, 1)).getMessage()
                    .contains("category id 99 is not one of the dataset's categories"));
        }
    }

    @Test
    void allBadImagesEndAnEndlessStream() throws Exception {
        Dataset ds = sevenImages();
        for (int i = 0; i < 7; i++) Files.delete(dir.resolve("img" + i + ".png"));
        try (DetectionLoader loader = new DetectionLoader(ds, config(1).withSkipBad(true))) {
            BadInputException e = assertThrows(BadInputException.class, () -> loader.iterations(Long.MAX_VALUE).next());
            assertTrue(e.getMessage().contains("none of the 7 images could be loaded"), e.getMessage());
        }
        Dataset empty = ds.withImages(List.of());
        try (DetectionLoader loader = new DetectionLoader(empty, config(1))) {
            assertFalse(loader.epoch(0).hasNext());
            assertThrows(IllegalArgumentException.class, () -> loader.iterations(10));
        }
    }
}
