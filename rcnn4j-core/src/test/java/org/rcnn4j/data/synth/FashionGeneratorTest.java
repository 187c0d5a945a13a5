package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;

class FashionGeneratorTest {
    private static final Path DIR = FashionMnist.DEFAULT_DIR;
    private static FashionGenerator gen;
    private static FashionMnist train;
    private static FashionMnist test;
    private static final List<Scene> SCENES = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        assumeTrue(Files.exists(DIR), "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
        gen = new FashionGenerator(DIR);
        train = FashionMnist.read(DIR, FashionMnist.Part.TRAIN);
        test = FashionMnist.read(DIR, FashionMnist.Part.TEST);
        SynthSpec spec = new SynthSpec("train", 200, 320, 11);
        for (int i = 0; i < spec.images(); i++) SCENES.add(gen.scene(spec, i));
    }

    @Test
    void sameSpecSameBytesWhateverTheThreadCount(@TempDir Path tmp) throws IOException {
        SynthSpec spec = new SynthSpec("test", 6, 320, 3);
        Dataset a = gen.generate(spec, tmp.resolve("a"), n -> {}, 1);
        Dataset b = new FashionGenerator(DIR).generate(spec, tmp.resolve("b"), n -> {}, 2);
        SceneChecks.assertSameFiles(tmp.resolve("a"), tmp.resolve("b"));
        assertEquals(a.images(), b.images());
        assertEquals(FashionMnist.CLASS_NAMES, a.classNames());
        assertEquals(10, a.categories().get(9).id());
    }

    /**
     * {@code classic} alone draws no family, so it gives the images of the generator before families
     * existed: SHA-256 of {@code synth --kind fashion --split test --images 3 --seed 3} at commit
     * b80e1e8, the last one without them.
     */
    @Test
    void classicAloneGivesTheBytesOfTheGeneratorBeforeFamilies(@TempDir Path tmp) throws Exception {
        new FashionGenerator(DIR, List.of(BackgroundFamily.CLASSIC)).generate(new SynthSpec("test", 3, 320, 3), tmp, n -> {}, 2);
        String[] expected = {
            "dd262c6110a5d58407c9555f14505abe88cbbeccb8723002418167cc1d0a41f4",
            "81f2f862f9e3b38647ba4fcce5d7d8753d62b99a967dd8a0e7bad636c60be823",
            "ac5b9ab98779ffbbaa8cd7b5ad77ebdae756812902d5f0117020a3b7d8d21c9b"};
        for (int i = 0; i < 3; i++) {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(tmp.resolve(String.format("%06d.png", i + 1))));
            assertEquals(expected[i], java.util.HexFormat.of().formatHex(digest), "image " + (i + 1));
        }
    }

    /** The default draws every family, about equally often, and a list draws only from itself. */
    @Test
    void everyFamilyAppearsAndAListDrawsOnlyFromItself() {
        assertEquals(BackgroundFamily.all(), gen.families());
        SynthSpec spec = new SynthSpec("train", 200, 320, 11);
        java.util.Map<BackgroundFamily, Integer> seen = new java.util.EnumMap<>(BackgroundFamily.class);
        for (int i = 0; i < spec.images(); i++) seen.merge(gen.familyOf(spec, i), 1, Integer::sum);
        for (BackgroundFamily f : BackgroundFamily.values()) {
            assertTrue(seen.getOrDefault(f, 0) >= 25, f + " in " + seen.getOrDefault(f, 0) + " of 200");
        }
        FashionGenerator two = new FashionGenerator(DIR, List.of(BackgroundFamily.SHARP, BackgroundFamily.SMOOTH));
        for (int i = 0; i < 40; i++) {
            assertTrue(List.of(BackgroundFamily.SHARP, BackgroundFamily.SMOOTH).contains(two.familyOf(spec, i)));
        }
    }

    @Test
    void boxesAreInsideTightAndOverlapAtMostIoU03() {
        for (Scene s : SCENES) {
            SceneChecks.assertBoxesInside(s, 320);
            SceneChecks.assertBoxesTight(s);
            List<SceneObject> o = s.objects();
            for (int i = 0; i < o.size(); i++) {
                assertTrue(o.get(i).visibleFraction() >= FashionGenerator.MIN_VISIBLE);
                for (int j = i + 1; j < o.size(); j++) {
                    double iou = SceneComposer.iou(o.get(i).box(), o.get(j).box());
                    assertTrue(iou <= FashionGenerator.MAX_IOU, "IoU " + iou);
                }
            }
        }
    }

    @Test
    void countsSizesAndClasses() {
        int[] histogram = new int[10];
        int[] perClass = new int[11];
        int small = 0, large = 0, total = 0, overlapping = 0;
        for (Scene s : SCENES) {
            histogram[s.objects().size()]++;
            for (SceneObject o : s.objects()) {
                perClass[o.classIndex()]++;
                assertEquals(train.label(o.source()) + 1, o.classIndex(), "class is the item's label");
                int side = SceneChecks.ownLongerSide(o.layer());
                assertTrue(side >= FashionGenerator.MIN_SIDE - 2 && side <= FashionGenerator.MAX_SIDE, "side " + side);
                if (side < 32) small++;
                if (side > 96) large++;
                total++;
            }
            for (int i = 0; i < s.objects().size(); i++) {
                for (int j = i + 1; j < s.objects().size(); j++) {
                    if (SceneComposer.iou(s.objects().get(i).box(), s.objects().get(j).box()) > 0) overlapping++;
                }
            }
        }
        assertEquals(0, histogram[0] + histogram[9], "1..8 objects per image");
        for (int n = 1; n <= 8; n++) assertTrue(histogram[n] > 0, "some image has " + n + " objects");
        for (int k = 1; k <= 10; k++) assertTrue(perClass[k] > total / 20, "class " + k + ": " + perClass[k] + " of " + total);
        // Log-uniform over [16, 192]: P(< 32) = P(> 96) = log 2 / log 12 = 0.28 (placement drops a few large ones).
        assertEquals(0.28, (double) small / total, 0.08);
        assertEquals(0.28, (double) large / total, 0.10);
        assertTrue(overlapping > 0, "some boxes overlap");
    }

    @Test
    void splitsDrawFromTheirItemRanges() {
        for (String split : SynthSpec.SPLITS) {
            SynthSpec spec = new SynthSpec(split, 30, 320, 5);
            FashionMnist part = split.equals("test") ? test : train;
            int lo = split.equals("val") ? 50_000 : 0;
            int hi = split.equals("train") ? 50_000 : part.size();
            int seen = 0;
            for (int i = 0; i < spec.images(); i++) {
                for (SceneObject o : gen.scene(spec, i).objects()) {
                    assertTrue(o.source() >= lo && o.source() < hi, split + " item " + o.source());
                    assertEquals(part.label(o.source()) + 1, o.classIndex());
                    seen++;
                }
            }
            assertTrue(seen > 30);
        }
        assertArrayEquals(new int[] {0, 50_000}, FashionGenerator.itemRange("train", 60_000));
        assertArrayEquals(new int[] {50_000, 60_000}, FashionGenerator.itemRange("val", 60_000));
        assertArrayEquals(new int[] {0, 10_000}, FashionGenerator.itemRange("test", 10_000));
    }

    @Test
    void scaledItemHasTheRequestedLongerSide() {
        for (int item = 0; item < 20; item++) {
            for (double side : new double[] {16, 45.4, 192}) {
                Layer l = FashionGenerator.scaledItem(train, item, side);
                assertEquals(Math.round(side), Math.max(l.width(), l.height()), "item " + item);
                int own = SceneChecks.ownLongerSide(l);
                assertTrue(own >= Math.round(side) - 2, "item " + item + " spans " + own + " of " + side);
                for (float a : l.alpha()) assertTrue(a >= 0f && a <= 1f);
            }
        }
    }
}
