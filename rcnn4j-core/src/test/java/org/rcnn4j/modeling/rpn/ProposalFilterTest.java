package org.rcnn4j.modeling.rpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Nms;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.rpn.ProposalFilter;

class ProposalFilterTest {

    /** Five anchors on a 100×100 image; with zero deltas the proposals are the anchors themselves. */
    private static final float[] ANCHORS = {
        0, 0, 10, 10,      // 0: score 0.9
        1, 0, 11, 10,      // 1: score 0.8, IoU with 0 = 90/110 = 0.82 > 0.7 -> suppressed
        20, 20, 30, 30,    // 2: score 0.7
        40, 40, 42, 42,    // 3: score 0.95, 2×2 px -> removed at minSize 5
        90, 90, 120, 110,  // 4: score 0.6, crosses the border -> clipped to [90, 90, 100, 100]
    };
    private static final float[] SCORES = {0.9f, 0.8f, 0.7f, 0.95f, 0.6f};

    private static ProposalFilter filter(int pre, int post, float minSize) {
        return new ProposalFilter(pre, post, 0.7f, minSize, true, BoxCoder.rcnn());
    }

    @Test
    void handCaseNmsMinSizeAndClipping() {
        Proposals p = filter(100, 100, 5f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 1.0);
        assertArrayEquals(new float[] {0, 0, 10, 10, 20, 20, 30, 30, 90, 90, 100, 100}, p.boxes());
        assertArrayEquals(new float[] {0.9f, 0.7f, 0.6f}, p.scores());
    }

    @Test
    void minSizeIsInOriginalPixelsScaledToTheInput() {
        // minSize 16 at scale 0.125 is 2 input pixels: the 2×2 box survives (and leads, score 0.95).
        Proposals p = filter(100, 100, 16f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 0.125);
        assertArrayEquals(new float[] {0.95f, 0.9f, 0.7f, 0.6f}, p.scores());
        // At scale 0.25 it is 4 px: gone. At scale 1 it is 16 px: everything (10 px and less) is gone.
        assertEquals(3, filter(100, 100, 16f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 0.25).size());
        assertEquals(0, filter(100, 100, 16f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 1).size());
    }

    @Test
    void topNBeforeAndAfterNms() {
        // Pre-NMS top 2: boxes 3 (0.95, then removed as small) and 0 (0.9) -> one proposal.
        Proposals pre = filter(2, 100, 5f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 1);
        assertArrayEquals(new float[] {0, 0, 10, 10}, pre.boxes());
        // Post-NMS top 2 of the three survivors.
        Proposals post = filter(100, 2, 5f).filterProposals(ANCHORS, new float[20], SCORES, 100, 100, 1);
        assertArrayEquals(new float[] {0.9f, 0.7f}, post.scores());
    }

    @Test
    void deltasAreDecodedThenClipped() {
        // Anchor [0, 0, 10, 10], deltas (0.1, 0, log 2, 0): centre (6, 5), size 20×10 -> [-4, 0, 16, 10],
        // clipped to [0, 0, 16, 10].
        float[] deltas = {0.1f, 0f, (float) Math.log(2), 0f};
        Proposals p = filter(10, 10, 0f).filterProposals(new float[] {0, 0, 10, 10}, deltas, new float[] {1f},
                100, 100, 1);
        assertArrayEquals(new float[] {0, 0, 16, 10}, p.boxes(), 1e-5f);
    }

    @Test
    void nanScoresAndNanDeltasNeverBecomeProposals() {
        float[] deltas = new float[20];
        deltas[8] = Float.NaN; // box 2
        float[] scores = SCORES.clone();
        scores[0] = Float.NaN; // box 0: now box 1 is no longer suppressed
        Proposals p = filter(100, 100, 5f).filterProposals(ANCHORS, deltas, scores, 100, 100, 1);
        assertArrayEquals(new float[] {0.8f, 0.6f}, p.scores());
    }

    @Test
    void emptyInputGivesNoProposals() {
        Proposals p = ProposalFilter.fasterRcnnTraining().filterProposals(new float[0], new float[0], new float[0],
                100, 100, 1);
        assertEquals(0, p.size());
        assertEquals(0, p.boxes().length);
    }

    @Test
    void levelsAreRankedSeparatelyAndNeverSuppressEachOtherUnlessJoint() {
        // Level 0: anchors 0, 1 (overlapping); level 1: anchor 2 = a copy of anchor 0, lower score.
        float[] anchors = {0, 0, 10, 10, 1, 0, 11, 10, 0, 0, 10, 10};
        float[] scores = {0.9f, 0.8f, 0.1f};
        int[] levels = {2, 1};
        ProposalFilter perLevel = new ProposalFilter(1, 10, 0.7f, 0f, true, BoxCoder.rcnn());
        // Top 1 per level: anchor 0 from level 0, anchor 2 from level 1; different levels: both kept.
        Proposals a = perLevel.filterProposals(anchors, new float[12], scores, levels, 100, 100, 1);
        assertArrayEquals(new float[] {0.9f, 0.1f}, a.scores());
        ProposalFilter joint = new ProposalFilter(1, 10, 0.7f, 0f, false, BoxCoder.rcnn());
        Proposals b = joint.filterProposals(anchors, new float[12], scores, levels, 100, 100, 1);
        assertArrayEquals(new float[] {0.9f}, b.scores());
        assertThrows(IllegalArgumentException.class,
                () -> joint.filterProposals(anchors, new float[12], scores, new int[] {2, 2}, 100, 100, 1));
    }

    @Test
    void agreesWithAFullSortReferenceOnRpnSizedInput() {
        float[] anchors = vggAnchors();
        int a = Boxes.count(anchors);
        SplittableRandom rnd = new SplittableRandom(21);
        float[] deltas = new float[4 * a];
        float[] scores = new float[a];
        for (int i = 0; i < a; i++) {
            scores[i] = (float) rnd.nextGaussian();
            for (int k = 0; k < 4; k++) {
                deltas[4 * i + k] = (float) (0.2 * rnd.nextGaussian());
            }
        }
        Proposals p = ProposalFilter.fasterRcnnTraining().filterProposals(anchors, deltas, scores, 800, 600, 1.0);
        // Reference: full sort of all scores, then the same steps.
        Integer[] order = IntStream.range(0, a).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (x, y) -> Float.compare(scores[y], scores[x]));
        int[] top = Arrays.stream(order).limit(12000).mapToInt(Integer::intValue).toArray();
        float[] boxes = Boxes.clip(BoxCoder.rcnn().decode(Boxes.selectRows(deltas, 4, top), Boxes.select(anchors, top)),
                800, 600);
        int[] big = Boxes.removeSmall(boxes, 16f);
        float[] kept = Boxes.select(boxes, big);
        float[] keptScores = Boxes.gather(scores, Boxes.gather(top, big));
        int[] nms = Nms.nms(kept, keptScores, 0.7f, 2000);
        assertEquals(2000, p.size());
        assertArrayEquals(Boxes.select(kept, nms), p.boxes());
        assertArrayEquals(Boxes.gather(keptScores, nms), p.scores());
    }

    /** 38×50×9 = 17100 Faster R-CNN anchors (VGG16 conv5 of a 600×800 image). */
    static float[] vggAnchors() {
        float[] cell = Boxes.fromInclusive(AnchorGenerator.generateAnchors(16, new double[] {0.5, 1, 2},
                new double[] {8, 16, 32}));
        return AnchorGenerator.shifted(cell, 38, 50, 16f);
    }
}
