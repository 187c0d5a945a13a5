package org.rcnn4j.modeling.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;

class RoiTargetsTest {

    private static final float[] GT = {100, 100, 200, 200, 300, 100, 400, 160};
    private static final int[] CLASSES = {3, 1};

    /**
     * 200 foreground proposals (gt boxes shifted right by 0..9 px: IoU ≥ 90/110 ≥ 0.5), 200 background
     * ones in [0.1, 0.5) (gt 0 shifted right by 60 px: IoU 40/160 = 0.25) and 50 far away (IoU 0).
     */
    private static float[] proposals() {
        float[] p = new float[4 * 450];
        for (int i = 0; i < 450; i++) {
            int g = i < 200 ? i % 2 : 0;
            float shift = i < 200 ? i % 10 : i < 400 ? 60 : 1000;
            p[4 * i] = GT[4 * g] + shift;
            p[4 * i + 1] = GT[4 * g + 1];
            p[4 * i + 2] = GT[4 * g + 2] + shift;
            p[4 * i + 3] = GT[4 * g + 3];
        }
        return p;
    }

    @Test
    void quarterForegroundWithClassesAndTargetsThatDecodeToTheGroundTruth() {
        SampledRois s = RoiTargets.fasterRcnn().sampleRois(proposals(), GT, CLASSES, new Random(7));
        assertEquals(128, s.size());
        assertEquals(32, s.foregroundCount());
        float[] iou = Boxes.iou(s.rois(), GT);
        for (int k = 0; k < s.size(); k++) {
            int g = s.matchedGt()[k];
            if (k < 32) {
                assertEquals(CLASSES[g], s.labels()[k]);
                assertTrue(iou[2 * k + g] >= 0.5f);
                float[] roi = Arrays.copyOfRange(s.rois(), 4 * k, 4 * k + 4);
                float[] t = Arrays.copyOfRange(s.regressionTargets(), 4 * k, 4 * k + 4);
                assertArrayEquals(Arrays.copyOfRange(GT, 4 * g, 4 * g + 4), BoxCoder.fastRcnn().decode(t, roi), 1e-3f);
            } else {
                assertEquals(-1, g);
                assertEquals(0, s.labels()[k]);
                assertTrue(Math.max(iou[2 * k], iou[2 * k + 1]) < 0.5f);
                assertArrayEquals(new float[4], Arrays.copyOfRange(s.regressionTargets(), 4 * k, 4 * k + 4));
            }
        }
    }

    @Test
    void normalisedTargetsOfAHandCase() {
        // One proposal [100, 100, 210, 200] against gt 0 (IoU 100/110): centre 155 vs 150, width 110
        // vs 100 -> t = (-5/110, 0, log(100/110), 0), divided by the stds (0.1, 0.1, 0.2, 0.2).
        RoiTargets noGt = new RoiTargets(Matcher.fasterRcnnRoi(), new BalancedSampler(128, 0.25), BoxCoder.fastRcnn(),
                false);
        SampledRois s = noGt.sampleRois(new float[] {100, 100, 210, 200}, GT, CLASSES, new Random(1));
        assertEquals(1, s.foregroundCount());
        assertArrayEquals(new int[] {3}, s.labels());
        float[] expected = {(float) (-5.0 / 110 / 0.1), 0f, (float) (Math.log(100.0 / 110) / 0.2), 0f};
        assertArrayEquals(expected, s.regressionTargets(), 1e-5f);
    }

    @Test
    void groundTruthBoxesJoinTheProposals() {
        // No proposals at all: the gt boxes themselves are the foreground, with zero targets.
        SampledRois s = RoiTargets.fasterRcnn().sampleRois(new float[0], GT, CLASSES, new Random(1));
        assertEquals(2, s.size());
        assertEquals(2, s.foregroundCount());
        assertArrayEquals(GT, s.rois());
        assertArrayEquals(CLASSES, s.labels());
        assertArrayEquals(new int[] {0, 1}, s.matchedGt());
        assertArrayEquals(new float[8], s.regressionTargets(), 1e-6f);
        // Without adding them there is nothing to sample.
        RoiTargets without = new RoiTargets(Matcher.fasterRcnnRoi(), new BalancedSampler(128, 0.25),
                BoxCoder.fastRcnn(), false);
        assertEquals(0, without.sampleRois(new float[0], GT, CLASSES, new Random(1)).size());
    }

    @Test
    void fastRcnnIgnoresProposalsBelowPointOneFasterRcnnDoesNot() {
        float[] p = proposals();
        SampledRois fast = RoiTargets.fastRcnn().sampleRois(p, GT, CLASSES, new Random(2));
        assertEquals(64, fast.size()); // 64 per image (2 images × 64 = 128)
        assertEquals(16, fast.foregroundCount());
        float[] iou = Boxes.iou(fast.rois(), GT);
        for (int k = 0; k < fast.size(); k++) {
            assertTrue(Math.max(iou[2 * k], iou[2 * k + 1]) >= 0.1f, "RoI " + k + " below 0.1 was sampled");
        }
        // Only the 50 far proposals as background candidates: Fast R-CNN has none, Faster R-CNN all 50.
        float[] far = Arrays.copyOfRange(p, 4 * 400, 4 * 450);
        SampledRois fastFar = RoiTargets.fastRcnn().sampleRois(far, GT, CLASSES, new Random(2));
        assertEquals(2, fastFar.size()); // just the two added gt boxes
        assertEquals(2, fastFar.foregroundCount());
        SampledRois faster = RoiTargets.fasterRcnn().sampleRois(far, GT, CLASSES, new Random(2));
        assertEquals(52, faster.size());
        assertEquals(2, faster.foregroundCount());
    }

    @Test
    void imageWithoutGroundTruthGivesOnlyBackground() {
        float[] p = Arrays.copyOf(proposals(), 4 * 150);
        for (RoiTargets targets : new RoiTargets[] {RoiTargets.fastRcnn(), RoiTargets.fasterRcnn()}) {
            SampledRois s = targets.sampleRois(p, new float[0], new int[0], new Random(3));
            assertEquals(0, s.foregroundCount());
            assertTrue(s.size() > 0);
            assertTrue(Arrays.stream(s.labels()).allMatch(l -> l == 0));
            assertTrue(Arrays.stream(s.matchedGt()).allMatch(g -> g == -1));
        }
        // The batch is all background: 64 for Fast R-CNN, 128 for Faster R-CNN.
        assertEquals(64, RoiTargets.fastRcnn().sampleRois(p, new float[0], new int[0], new Random(3)).size());
        assertEquals(128, RoiTargets.fasterRcnn().sampleRois(p, new float[0], new int[0], new Random(3)).size());
    }

    @Test
    void noProposalsAndNoGroundTruthGiveAnEmptySample() {
        SampledRois s = RoiTargets.fasterRcnn().sampleRois(new float[0], new float[0], new int[0], new Random(4));
        assertEquals(0, s.size());
        assertEquals(0, s.rois().length);
        assertEquals(0, s.regressionTargets().length);
    }

    @Test
    void nanProposalsAreDroppedBeforeSampling() {
        float[] p = {Float.NaN, 0, 10, 10, 5, 5, 15, 15, 20, 20, 10, 30}; // NaN, fine, inverted (x2 < x1)
        SampledRois s = RoiTargets.fasterRcnn().sampleRois(p, new float[0], new int[0], new Random(5));
        assertArrayEquals(new float[] {5, 5, 15, 15}, s.rois());
    }

    @Test
    void sameSeedSameSample() {
        SampledRois a = RoiTargets.fasterRcnn().sampleRois(proposals(), GT, CLASSES, new Random(8));
        SampledRois b = RoiTargets.fasterRcnn().sampleRois(proposals(), GT, CLASSES, new Random(8));
        assertArrayEquals(a.rois(), b.rois());
        assertArrayEquals(a.labels(), b.labels());
    }

    @Test
    void rejectsBadClasses() {
        RoiTargets t = RoiTargets.fasterRcnn();
        assertThrows(IllegalArgumentException.class, () -> t.sampleRois(new float[0], GT, new int[] {1}, new Random(1)));
        assertThrows(IllegalArgumentException.class, () -> t.sampleRois(new float[0], GT, new int[] {1, 0}, new Random(1)));
    }
}
