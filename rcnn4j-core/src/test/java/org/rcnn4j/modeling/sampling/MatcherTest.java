package org.rcnn4j.modeling.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rcnn4j.modeling.sampling.Matcher.BACKGROUND;
import static org.rcnn4j.modeling.sampling.Matcher.IGNORE;

import org.junit.jupiter.api.Test;
import org.rcnn4j.box.Boxes;

class MatcherTest {

    /**
     * 5 predictions × 4 ground-truth boxes (Detectron2-style hand table), RPN thresholds 0.7 / 0.3.
     * <pre>
     *        gt0   gt1   gt2   gt3
     *   p0  0.80  0.10  0.00  0.00   max 0.80 ≥ 0.7           → gt0
     *   p1  0.50  0.60  0.00  0.00   max 0.60 in [0.3, 0.7)   → ignore; best of gt1 (tie with p3)
     *   p2  0.20  0.25  0.00  0.15   max 0.25 &lt; 0.3          → background; best of gt3, own best gt1
     *   p3  0.00  0.60  0.00  0.00   max 0.60                 → ignore; best of gt1 (tie with p1)
     *   p4  0.80  0.00  0.00  0.00   max 0.80                 → gt0 (ties with p0 for gt0)
     * </pre>
     * gt2 overlaps nothing: its best IoU is 0, so it makes no low-quality match.
     */
    private static final float[] TABLE = {
        0.80f, 0.10f, 0f, 0f,
        0.50f, 0.60f, 0f, 0f,
        0.20f, 0.25f, 0f, 0.15f,
        0f, 0.60f, 0f, 0f,
        0.80f, 0f, 0f, 0f,
    };

    @Test
    void handTableWithoutLowQualityMatches() {
        MatchResult r = new Matcher(0.7f, 0f, 0.3f, false).match(TABLE, 5, 4);
        assertArrayEquals(new int[] {0, IGNORE, BACKGROUND, IGNORE, 0}, r.matchedGt());
        assertArrayEquals(new float[] {0.8f, 0.6f, 0.25f, 0.6f, 0.8f}, r.maxIou());
        assertArrayEquals(new int[] {0, 4}, r.foreground());
        assertArrayEquals(new int[] {2}, r.background());
    }

    @Test
    void lowQualityMatchesIncludeTiesAndUseTheirOwnBestBox() {
        MatchResult r = Matcher.rpn().match(TABLE, 5, 4);
        // p1 and p3 tie as gt1's best (0.6): both positive. p2 is gt3's best (0.15) and so positive,
        // but is regressed to its own best box gt1 (0.25), as py-faster-rcnn's argmax_overlaps.
        assertArrayEquals(new int[] {0, 1, 1, 1, 0}, r.matchedGt());
        // maxIoU is unchanged by the rule.
        assertArrayEquals(new float[] {0.8f, 0.6f, 0.25f, 0.6f, 0.8f}, r.maxIou());
    }

    @Test
    void groundTruthWithZeroBestIouMakesNoPositives() {
        // One gt overlapping nothing: without the skip, every prediction (IoU 0 == best 0) would be positive.
        float[] iou = {0f, 0f, 0f};
        MatchResult r = Matcher.rpn().match(iou, 3, 1);
        assertArrayEquals(new int[] {BACKGROUND, BACKGROUND, BACKGROUND}, r.matchedGt());
    }

    @Test
    void thresholdsExactlyAtTheirValues() {
        // A 10×1 gt box against boxes sharing its left part: IoU = w / 10, exact in float for these w.
        float[] gt = {0, 0, 10, 1};
        float[] preds = {
            0, 0, 7, 1,    // 0.7
            0, 0, 5, 1,    // 0.5
            0, 0, 3, 1,    // 0.3
            0, 0, 1, 1,    // 0.1
            0, 0, 0.5f, 1, // 0.05
        };
        assertArrayEquals(new float[] {0.7f, 0.5f, 0.3f, 0.1f, 0.05f}, Boxes.iou(preds, gt), 0f);
        // RPN: >= 0.7 positive, 0.3 itself is not negative (negative is "lower than 0.3").
        assertArrayEquals(new int[] {0, IGNORE, IGNORE, BACKGROUND, BACKGROUND},
                new Matcher(0.7f, 0f, 0.3f, false).match(preds, gt).matchedGt());
        // Fast R-CNN: >= 0.5 foreground, background in [0.1, 0.5), below 0.1 ignored.
        assertArrayEquals(new int[] {0, 0, BACKGROUND, BACKGROUND, IGNORE},
                Matcher.fastRcnn().match(preds, gt).matchedGt());
        // Faster R-CNN RoIs: background down to 0.
        assertArrayEquals(new int[] {0, 0, BACKGROUND, BACKGROUND, BACKGROUND},
                Matcher.fasterRcnnRoi().match(preds, gt).matchedGt());
    }

    @Test
    void predictionEquallyCloseToTwoBoxesTakesTheLowerIndex() {
        MatchResult r = Matcher.rpn().match(new float[] {0.75f, 0.75f, 0.9f, 0.9f}, 2, 2);
        assertArrayEquals(new int[] {0, 0}, r.matchedGt());
    }

    @Test
    void boxesOverloadMatchesTheIouOverload() {
        float[] gt = {0, 0, 10, 10, 20, 20, 40, 40};
        float[] preds = {0, 0, 10, 11, 19, 19, 40, 40, 5, 5, 15, 15, 100, 100, 110, 110};
        Matcher m = Matcher.rpn();
        MatchResult a = m.match(preds, gt);
        MatchResult b = m.match(Boxes.iou(preds, gt), 4, 2);
        assertArrayEquals(b.matchedGt(), a.matchedGt());
        assertArrayEquals(b.maxIou(), a.maxIou());
        // 0: IoU 100/110 with gt0; 1: 400/441 with gt1; 2: 25/175 with gt0 -> negative; 3: disjoint.
        assertArrayEquals(new int[] {0, 1, BACKGROUND, BACKGROUND}, a.matchedGt());
    }

    @Test
    void noGroundTruthMakesEverythingBackgroundWhateverBgLow() {
        float[] preds = {0, 0, 10, 10, 5, 5, 8, 8};
        for (Matcher m : new Matcher[] {Matcher.rpn(), Matcher.fastRcnn(), Matcher.fasterRcnnRoi()}) {
            MatchResult r = m.match(preds, new float[0]);
            assertArrayEquals(new int[] {BACKGROUND, BACKGROUND}, r.matchedGt());
            assertArrayEquals(new float[] {0f, 0f}, r.maxIou());
        }
    }

    @Test
    void noPredictionsGiveAnEmptyResult() {
        assertEquals(0, Matcher.rpn().match(new float[0], new float[] {0, 0, 1, 1}).size());
        assertEquals(0, Matcher.rpn().match(new float[0], new float[0]).size());
        assertEquals(0, Matcher.rpn().match(new float[0], 0, 3).size());
    }

    @Test
    void nanIouCountsAsNoMatch() {
        float nan = Float.NaN;
        float[] iou = {
            nan, 0.8f,  // gt1, the NaN is skipped
            nan, nan,   // nothing: maxIoU 0, background
            0.2f, nan,  // gt0's best (NaN never wins a column)
        };
        MatchResult r = Matcher.rpn().match(iou, 3, 2);
        assertArrayEquals(new int[] {1, BACKGROUND, 0}, r.matchedGt());
        assertArrayEquals(new float[] {0.8f, 0f, 0.2f}, r.maxIou());
        // A prediction box with a NaN coordinate has NaN IoU with every gt box.
        MatchResult boxes = Matcher.fastRcnn().match(new float[] {nan, 0, 10, 10}, new float[] {0, 0, 10, 10});
        assertArrayEquals(new int[] {IGNORE}, boxes.matchedGt());
        assertArrayEquals(new float[] {0f}, boxes.maxIou());
    }

    @Test
    void rejectsInconsistentThresholdsAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Matcher(0.5f, 0.3f, 0.2f, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(0.3f, 0f, 0.5f, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(0.5f, -0.1f, 0.5f, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(Float.NaN, 0f, 0.3f, false));
        assertThrows(IllegalArgumentException.class, () -> Matcher.rpn().match(new float[5], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new MatchResult(new int[2], new float[1]));
    }
}
