package org.rcnn4j.modeling.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rcnn4j.modeling.sampling.RpnTargets.IGNORED;
import static org.rcnn4j.modeling.sampling.RpnTargets.NEGATIVE;
import static org.rcnn4j.modeling.sampling.RpnTargets.POSITIVE;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;

class AnchorTargetsTest {

    /**
     * A 3×3 feature map at stride 16 over a 48×48 image, two cell anchors: a 16×16 box on the cell
     * ([0, 0, 16, 16]) and a 32×32 box around it ([-8, -8, 24, 24]). Row (y·3 + x)·2 + a. All nine
     * small anchors are inside; of the big ones only the centre one, [8, 8, 40, 40] (row 9), is.
     */
    private static final float[] ANCHORS =
            AnchorGenerator.shifted(new float[] {0, 0, 16, 16, -8, -8, 24, 24}, 3, 3, 16f);

    private static final int SIZE = 48;

    @Test
    void handMadeCaseAboveThePositiveThreshold() {
        // gt [16, 16, 34, 32] (18×16): IoU with the centre small anchor [16, 16, 32, 32] (row 8) is
        // 256 / 288 = 0.889 -> positive; with the centre big anchor, 288 / 1024 = 0.28 -> negative;
        // with small (2, 1) [32, 16, 48, 32], 32 / 512 = 0.0625 -> negative; the others 0.
        float[] gt = {16, 16, 34, 32};
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        int[] expected = new int[18];
        Arrays.fill(expected, IGNORED);
        for (int cell = 0; cell < 9; cell++) {
            expected[2 * cell] = NEGATIVE;
        }
        expected[8] = POSITIVE;
        expected[9] = NEGATIVE;
        assertArrayEquals(expected, t.labels());
        // Targets: centre (25, 24) vs (24, 24), size 18×16 vs 16×16 -> (1/16, 0, log(18/16), 0).
        float[] row8 = Arrays.copyOfRange(t.regressionTargets(), 32, 36);
        assertArrayEquals(new float[] {1f / 16, 0f, (float) Math.log(18.0 / 16), 0f}, row8, 1e-6f);
        float[] rest = t.regressionTargets().clone();
        Arrays.fill(rest, 32, 36, 0f);
        assertArrayEquals(new float[72], rest);
        assertEquals(0, t.matchedGt()[8]);
        // 10 usable anchors, all fit in a batch of 256: 1 positive + 9 negatives, no outside anchor.
        assertArrayEquals(new int[] {8}, t.sample().positives());
        assertArrayEquals(new int[] {0, 2, 4, 6, 9, 10, 12, 14, 16}, t.sample().negatives());
        for (int i = 0; i < 18; i++) {
            assertEquals(expected[i] != IGNORED, t.sampled()[i], "anchor " + i);
        }
    }

    @Test
    void bestAnchorOfAGroundTruthIsPositiveBelowThreshold() {
        // gt [0, 0, 24, 24] (576 px²): small (0,0) 256/576 = 0.444 (its best), big centre
        // 256/1344 = 0.19, small (1,0) and (0,1) 128/704 = 0.18, small (1,1) 64/768 = 0.083.
        float[] gt = {0, 0, 24, 24};
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        assertEquals(POSITIVE, t.labels()[0]);
        assertArrayEquals(new int[] {0}, t.sample().positives());
        // The targets decode back to the gt box.
        float[] decoded = BoxCoder.rcnn().decode(Arrays.copyOf(t.regressionTargets(), 4), Arrays.copyOf(ANCHORS, 4));
        assertArrayEquals(gt, decoded, 1e-4f);
        // Without the low-quality rule 0.444 lies between the thresholds: ignored, no positive at all.
        AnchorTargets strict = new AnchorTargets(new Matcher(0.7f, 0f, 0.3f, false), BalancedSampler.rpn(),
                BoxCoder.rcnn(), 0f);
        RpnTargets s = strict.assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        assertEquals(IGNORED, s.labels()[0]);
        assertEquals(0, s.sample().positives().length);
        assertEquals(9, s.sample().negatives().length);
    }

    @Test
    void crossBoundaryAnchorsAreIgnoredUnlessTheBorderAllowsThem() {
        // gt [-4, -4, 20, 20] is matched best by the big corner anchor [-8, -8, 24, 24] (576/1024 = 0.5625)
        // but that anchor crosses the border: ignored, so the best inside anchor, small (0,0)
        // [0, 0, 16, 16] (256/576 = 0.444), becomes the low-quality positive instead.
        float[] gt = {-4, -4, 20, 20};
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        assertEquals(IGNORED, t.labels()[1]);
        assertFalse(t.sampled()[1]);
        assertArrayEquals(new int[] {0}, t.sample().positives());
        // An infinite border uses every anchor (torchvision): now the big corner anchor wins.
        AnchorTargets all = new AnchorTargets(Matcher.rpn(), BalancedSampler.rpn(), BoxCoder.rcnn(),
                Float.POSITIVE_INFINITY);
        RpnTargets u = all.assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        assertArrayEquals(new int[] {1}, u.sample().positives());
        // ... and small (0,0), at 0.444 between the thresholds, is ignored: 17 of 18 anchors are used.
        assertEquals(IGNORED, u.labels()[0]);
        assertEquals(17, u.sample().size());
        // A border of 8 px admits the big anchors, which reach exactly 8 px out: the same 17.
        AnchorTargets eight = new AnchorTargets(Matcher.rpn(), BalancedSampler.rpn(), BoxCoder.rcnn(), 8f);
        assertEquals(17, eight.assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1)).sample().size());
        // 7.9 px is not enough: back to the 10 inside anchors, small (0,0) positive again.
        AnchorTargets almost = new AnchorTargets(Matcher.rpn(), BalancedSampler.rpn(), BoxCoder.rcnn(), 7.9f);
        RpnTargets v = almost.assignTargetsToAnchors(ANCHORS, SIZE, SIZE, gt, new Random(1));
        assertArrayEquals(new int[] {0}, v.sample().positives());
        assertEquals(10, v.sample().size());
    }

    @Test
    void imageWithoutGroundTruthHasOnlyNegatives() {
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, SIZE, SIZE, new float[0],
                new Random(1));
        assertEquals(0, t.sample().positives().length);
        assertEquals(10, t.sample().negatives().length);
        assertArrayEquals(new float[72], t.regressionTargets());
        for (int i = 0; i < 18; i++) {
            assertEquals(i % 2 == 0 || i == 9 ? NEGATIVE : IGNORED, t.labels()[i]);
        }
    }

    @Test
    void noAnchorsGiveEmptyTargets() {
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(new float[0], SIZE, SIZE,
                new float[] {0, 0, 10, 10}, new Random(1));
        assertEquals(0, t.size());
        assertEquals(0, t.sample().size());
    }

    @Test
    void fullSizeImageKeepsThePaperBatchRules() {
        // VGG16-like: 600×800 input, 38×50 conv5 map at stride 16, 9 py-faster-rcnn anchors.
        float[] cell = Boxes.fromInclusive(AnchorGenerator.generateAnchors(16, new double[] {0.5, 1, 2},
                new double[] {8, 16, 32}));
        float[] anchors = AnchorGenerator.shifted(cell, 38, 50, 16f);
        SplittableRandom rnd = new SplittableRandom(11);
        float[] gt = new float[4 * 6];
        for (int g = 0; g < 6; g++) {
            float w = 40 + rnd.nextInt(300);
            float h = 40 + rnd.nextInt(300);
            float x = rnd.nextInt((int) (800 - w));
            float y = rnd.nextInt((int) (600 - h));
            gt[4 * g] = x;
            gt[4 * g + 1] = y;
            gt[4 * g + 2] = x + w;
            gt[4 * g + 3] = y + h;
        }
        RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(anchors, 800, 600, gt, new Random(3));
        assertEquals(17100, t.size());
        assertTrue(t.sample().positives().length >= 6, "each gt has at least one best anchor");
        assertTrue(t.sample().positives().length <= 128);
        assertEquals(256, t.sample().size());
        float[] iou = Boxes.iou(anchors, gt);
        int[] inside = AnchorGenerator.insideImage(anchors, 800, 600, 0f);
        boolean[] in = new boolean[17100];
        for (int i : inside) {
            in[i] = true;
        }
        for (int i = 0; i < 17100; i++) {
            float max = 0f;
            for (int g = 0; g < 6; g++) {
                max = Math.max(max, iou[i * 6 + g]);
            }
            if (!in[i]) {
                assertEquals(IGNORED, t.labels()[i]);
                assertFalse(t.sampled()[i]);
            } else if (t.labels()[i] == NEGATIVE) {
                assertTrue(max < 0.3f);
            } else if (max >= 0.7f) {
                assertEquals(POSITIVE, t.labels()[i]);
            }
            if (t.labels()[i] == POSITIVE) {
                float[] back = BoxCoder.rcnn().decode(Arrays.copyOfRange(t.regressionTargets(), 4 * i, 4 * i + 4),
                        Arrays.copyOfRange(anchors, 4 * i, 4 * i + 4));
                int g = t.matchedGt()[i];
                assertArrayEquals(Arrays.copyOfRange(gt, 4 * g, 4 * g + 4), back, 1e-3f);
            }
        }
        // Same seed, same batch.
        RpnTargets again = AnchorTargets.fasterRcnn().assignTargetsToAnchors(anchors, 800, 600, gt, new Random(3));
        assertArrayEquals(t.sample().negatives(), again.sample().negatives());
    }
}
