package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;

class ShapesGeneratorTest {
    private static final ShapesGenerator GEN = new ShapesGenerator();
    private static final SynthSpec SPEC = new SynthSpec("train", 200, 128, 42);
    private static final List<Scene> SCENES = new ArrayList<>();

    @BeforeAll
    static void renderScenes() {
        for (int i = 0; i < SPEC.images(); i++) SCENES.add(GEN.scene(SPEC, i));
    }

    @Test
    void sameSpecSameBytesWhateverTheThreadCount(@TempDir Path tmp) throws IOException {
        SynthSpec spec = new SynthSpec("val", 10, 96, 5);
        Dataset a = GEN.generate(spec, tmp.resolve("a"), n -> {}, 1);
        Dataset b = GEN.generate(spec, tmp.resolve("b"), n -> {}, 3);
        SceneChecks.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"));
        assertEquals(a.images(), b.images());
        assertEquals(a.categories(), b.categories());
    }

    @Test
    void datasetLayoutAndIds(@TempDir Path tmp) throws IOException {
        SynthSpec spec = new SynthSpec("train", 5, 64, 9);
        List<Integer> progress = new ArrayList<>();
        Dataset d = GEN.generate(spec, tmp, progress::add, 2);
        assertEquals(List.of(1, 2, 3, 4, 5), progress);
        assertEquals(List.of(tmp), d.imageDirs());
        assertEquals(List.of(new Category(1, "circle"), new Category(2, "square"), new Category(3, "triangle"),
                new Category(4, "star"), new Category(5, "cross")), d.categories());
        long annId = 1;
        for (int i = 0; i < 5; i++) {
            ImageRecord r = d.images().get(i);
            assertEquals(i + 1, r.id());
            assertEquals(String.format("%06d", i + 1), r.name());
            assertEquals(r.name() + ".png", r.fileName());
            assertEquals(64, r.width());
            assertEquals(64, r.height());
            Scene scene = GEN.scene(spec, i);
            assertEquals(scene.objects().size(), r.annotations().size());
            for (int k = 0; k < scene.objects().size(); k++) {
                Annotation a = r.annotations().get(k);
                assertEquals(annId++, a.id());
                assertEquals(scene.objects().get(k).classIndex(), a.categoryId());
                assertArrayEquals(scene.objects().get(k).box(), a.box());
            }
            BufferedImage png = ImageIO.read(tmp.resolve(r.fileName()).toFile());
            assertArrayEquals(scene.image().getRGB(0, 0, 64, 64, null, 0, 64), png.getRGB(0, 0, 64, 64, null, 0, 64),
                    "the PNG holds the scene's pixels");
        }
    }

    @Test
    void emptySpecGivesEmptyDataset(@TempDir Path tmp) {
        Dataset d = GEN.generate(new SynthSpec("test", 0, 64, 1), tmp.resolve("none"));
        assertTrue(d.images().isEmpty());
        assertEquals(5, d.numClasses());
    }

    @Test
    void boxesAreInsideAndTightOnVisiblePixels() {
        for (Scene s : SCENES) {
            SceneChecks.assertBoxesInside(s, SPEC.size());
            SceneChecks.assertBoxesTight(s);
        }
    }

    @Test
    void objectCountsCoverOneToSix() {
        int[] histogram = new int[8];
        for (Scene s : SCENES) histogram[s.objects().size()]++;
        assertEquals(0, histogram[0] + histogram[7], "1..6 objects per image");
        for (int n = 1; n <= 6; n++) assertTrue(histogram[n] > 0, "some image has " + n + " objects");
    }

    @Test
    void sizesSpanEightPixelsToSixtyPercentLogUniformly() {
        int small = 0, large = 0, total = 0;
        double max = ShapesGenerator.MAX_SIDE_FRACTION * SPEC.size();
        for (Scene s : SCENES) {
            for (SceneObject o : s.objects()) {
                int side = SceneChecks.ownLongerSide(o.layer());
                // Anti-aliased edges below the visibility threshold may shave a pixel off each side.
                assertTrue(side >= ShapesGenerator.MIN_SIDE - 2 && side <= Math.ceil(max), "size " + side);
                if (side < 16) small++;
                if (side > 40) large++;
                total++;
            }
        }
        // Log-uniform over [8, 76.8]: P(< 16) = log 2 / log 9.6 = 0.31, P(> 40) = log 1.92 / log 9.6 = 0.29.
        assertEquals(0.31, (double) small / total, 0.08);
        assertEquals(0.29, (double) large / total, 0.08);
    }

    @Test
    void everyClassAppearsAndOcclusionKeepsSixtyPercent() {
        int[] perClass = new int[6];
        int occluded = 0, total = 0;
        for (Scene s : SCENES) {
            for (SceneObject o : s.objects()) {
                perClass[o.classIndex()]++;
                assertTrue(o.visibleFraction() >= ShapesGenerator.MIN_VISIBLE, "visible " + o.visibleFraction());
                if (o.visibleFraction() < 0.95) occluded++;
                total++;
            }
        }
        for (int k = 1; k <= 5; k++) assertTrue(perClass[k] > total / 10, "class " + k + " has " + perClass[k] + " of " + total);
        assertTrue(occluded > 0, "some objects are partly hidden");
        assertTrue(occluded < total / 2, "most objects are whole");
    }

    @Test
    void splitsAndSeedsChangeTheImages() {
        int[] train = pixels(GEN.scene(new SynthSpec("train", 1, 64, 1), 0));
        assertFalse(java.util.Arrays.equals(train, pixels(GEN.scene(new SynthSpec("val", 1, 64, 1), 0))));
        assertFalse(java.util.Arrays.equals(train, pixels(GEN.scene(new SynthSpec("train", 1, 64, 2), 0))));
        assertFalse(java.util.Arrays.equals(train, pixels(GEN.scene(new SynthSpec("train", 2, 64, 1), 1))));
        assertArrayEquals(train, pixels(GEN.scene(new SynthSpec("train", 1, 64, 1), 0)));
    }

    private static int[] pixels(Scene s) {
        BufferedImage im = s.image();
        return im.getRGB(0, 0, im.getWidth(), im.getHeight(), null, 0, im.getWidth());
    }

    @Test
    void specAndFactoryRejectBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec("dev", 1, 128, 0));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec("train", -1, 128, 0));
        assertThrows(IllegalArgumentException.class, () -> new SynthSpec("train", 1, 31, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDataset.named("mnist", null));
        assertEquals("shapes", SyntheticDataset.named("shapes", null).name());
        assertEquals(128, SyntheticDataset.named("shapes", null).defaultSize());
        assertNotEquals(GEN.name(), SyntheticDataset.named("fashion", null).name());
    }
}
