package org.rcnn4j.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NmsTest {

    @Test
    void handComputedSuppression() {
        float[] boxes = {
            0, 0, 10, 10,    // 0: score 0.9
            1, 0, 11, 10,    // 1: IoU with 0 = 90 / 110 = 0.818 -> suppressed at 0.5
            5, 0, 15, 10,    // 2: IoU with 0 = 50 / 150 = 0.333 -> kept at 0.5
            20, 20, 30, 30,  // 3: disjoint
        };
        float[] scores = {0.9f, 0.8f, 0.7f, 0.95f};
        assertArrayEquals(new int[] {3, 0, 2}, Nms.nms(boxes, scores, 0.5f));
        // At 0.3, box 2 (IoU 0.333 > 0.3) goes too.
        assertArrayEquals(new int[] {3, 0}, Nms.nms(boxes, scores, 0.3f));
        // Strictly greater: IoU exactly 1/3 with threshold 1/3 is not suppressed.
        assertArrayEquals(new int[] {0, 1}, Nms.nms(new float[] {0, 0, 10, 10, 5, 0, 15, 10},
                new float[] {1f, 0.5f}, 50f / 150f));
        // A suppressed box does not suppress: 1 is removed by 0, so 2 survives even though IoU(1,2) is high.
        float[] chain = {0, 0, 10, 10, 4, 0, 14, 10, 8, 0, 18, 10};
        assertArrayEquals(new int[] {0, 2}, Nms.nms(chain, new float[] {3, 2, 1}, 0.4f));
    }

    @Test
    void tiesAreBrokenByLowerIndexFirst() {
        float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 50, 50, 60, 60, 50, 50, 60, 60};
        float[] scores = {0.5f, 0.5f, 0.5f, -0f};
        assertArrayEquals(new int[] {0, 2}, Nms.nms(boxes, scores, 0.5f));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Nms.nms(boxes, scores, 1f));
        // -0.0 and 0.0 tie: index order decides.
        assertArrayEquals(new int[] {0, 1}, Nms.nms(new float[] {0, 0, 1, 1, 5, 5, 6, 6},
                new float[] {-0f, 0f}, 0.5f));
    }

    @Test
    void maxKeptStopsEarly() {
        float[] boxes = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
        float[] scores = {0.1f, 0.4f, 0.3f, 0.2f};
        assertArrayEquals(new int[] {1, 2}, Nms.nms(boxes, scores, 0.5f, 2));
        assertEquals(0, Nms.nms(boxes, scores, 0.5f, 0).length);
        assertArrayEquals(new int[] {1, 2, 3, 0}, Nms.nms(boxes, scores, 0.5f, 10));
    }

    @Test
    void emptyInput() {
        assertEquals(0, Nms.nms(new float[0], new float[0], 0.5f).length);
        assertEquals(0, Nms.nms(new float[0], new float[0], 0.5f, 5).length);
        assertEquals(0, Nms.batchedNms(new float[0], new float[0], new int[0], 0.5f).length);
    }

    @Test
    void nanScoresAndCoordinatesAreNeverKept() {
        float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, Float.NaN, 10, 20, 20, 30, 30};
        float[] scores = {Float.NaN, 0.5f, 0.9f, 0.1f};
        assertArrayEquals(new int[] {1, 3}, Nms.nms(boxes, scores, 0.5f));
    }

    @Test
    void infiniteScoresSortAsExtremes() {
        float[] boxes = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        float[] scores = {Float.NEGATIVE_INFINITY, 0.5f, Float.POSITIVE_INFINITY};
        assertArrayEquals(new int[] {2, 1, 0}, Nms.nms(boxes, scores, 0.5f));
    }

    @Test
    void zeroAreaBoxesNeitherSuppressNorAreSuppressed() {
        float[] boxes = {5, 5, 5, 5, 0, 0, 10, 10, 5, 5, 5, 5};
        assertArrayEquals(new int[] {0, 1, 2}, Nms.nms(boxes, new float[] {3, 2, 1}, 0f));
    }

    @Test
    void argumentChecks() {
        float[] b = {0, 0, 1, 1};
        assertThrows(IllegalArgumentException.class, () -> Nms.nms(b, new float[2], 0.5f));
        assertThrows(IllegalArgumentException.class, () -> Nms.nms(b, new float[1], Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Nms.nms(b, new float[1], -0.1f));
        assertThrows(IllegalArgumentException.class, () -> Nms.nms(b, new float[1], 0.5f, -1));
        assertThrows(IllegalArgumentException.class, () -> Nms.batchedNms(b, new float[1], new int[2], 0.5f));
    }

    @Test
    void matchesSlowReferenceOnRandomBoxesWithTies() {
        SplittableRandom rnd = new SplittableRandom(2024);
        float[] thresholds = {0f, 0.3f, 0.5f, 0.7f, 1f};
        for (int trial = 0; trial < 40; trial++) {
            int n = rnd.nextInt(0, 300);
            float[] boxes = clusteredBoxes(rnd, n);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = rnd.nextInt(0, 8) / 8f; // few distinct values: many ties
            }
            for (float thr : thresholds) {
                assertArrayEquals(slowNms(boxes, scores, thr, null), Nms.nms(boxes, scores, thr),
                        "trial " + trial + " threshold " + thr);
                int max = rnd.nextInt(0, 20);
                int[] ref = slowNms(boxes, scores, thr, null);
                assertArrayEquals(Arrays.copyOf(ref, Math.min(max, ref.length)), Nms.nms(boxes, scores, thr, max));
            }
        }
    }

    @Test
    void batchedMatchesSlowReferenceAndNeverSuppressesAcrossClasses() {
        // Two identical boxes of different classes both survive.
        float[] same = {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10};
        assertArrayEquals(new int[] {0, 1}, Nms.batchedNms(same, new float[] {0.9f, 0.8f, 0.7f},
                new int[] {1, 2, 1}, 0.5f));
        SplittableRandom rnd = new SplittableRandom(99);
        for (int trial = 0; trial < 30; trial++) {
            int n = rnd.nextInt(0, 250);
            float[] boxes = clusteredBoxes(rnd, n);
            float[] scores = new float[n];
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) {
                scores[i] = rnd.nextInt(0, 6) / 6f;
                classes[i] = rnd.nextInt(-1, 4); // negative labels are allowed
            }
            float thr = (float) rnd.nextDouble(0, 1);
            int[] ref = slowNms(boxes, scores, thr, classes);
            assertArrayEquals(ref, Nms.batchedNms(boxes, scores, classes, thr), "trial " + trial);
            int max = rnd.nextInt(0, 30);
            assertArrayEquals(Arrays.copyOf(ref, Math.min(max, ref.length)),
                    Nms.batchedNms(boxes, scores, classes, thr, max));
        }
    }

    @Test
    void largeInputIsQuick() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 12000;
        float[] boxes = clusteredBoxes(rnd, n);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (float) rnd.nextDouble();
        }
        long t0 = System.nanoTime();
        int[] keep = Nms.nms(boxes, scores, 0.7f, 2000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(keep.length > 0 && keep.length <= 2000);
        // A loose bound (the machine is shared); the measured time is in the report, not asserted.
        assertTrue(ms < 5000, "12000 boxes took " + ms + " ms");
    }

    /**
     * The obvious greedy loop: repeatedly take the best remaining box (highest score, lowest index),
     * keep it, drop the remaining boxes of its class overlapping it by IoU > thr. {@code classes}
     * null means one class. NaN handling is not exercised here.
     */
    private static int[] slowNms(float[] boxes, float[] scores, float thr, int[] classes) {
        int n = scores.length;
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            remaining.add(i);
        }
        List<Integer> kept = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int best = remaining.get(0);
            for (int i : remaining) {
                if (scores[i] > scores[best] || (scores[i] == scores[best] && i < best)) {
                    best = i;
                }
            }
            kept.add(best);
            List<Integer> next = new ArrayList<>();
            for (int i : remaining) {
                boolean sameClass = classes == null || classes[i] == classes[best];
                if (i != best && !(sameClass && slowIou(boxes, best, i) > thr)) {
                    next.add(i);
                }
            }
            remaining = next;
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float slowIou(float[] b, int i, int j) {
        float w = Math.max(0f, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
        float h = Math.max(0f, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
        float inter = w * h;
        float areaI = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
        float areaJ = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        float union = areaI + areaJ - inter;
        return union > 0 ? inter / union : 0f;
    }

    /** Integer-cornered boxes around a few centres (so many overlap), some duplicated exactly. */
    private static float[] clusteredBoxes(SplittableRandom rnd, int n) {
        float[] b = new float[4 * n];
        for (int i = 0; i < n; i++) {
            if (i > 0 && rnd.nextInt(10) == 0) {
                System.arraycopy(b, 4 * rnd.nextInt(i), b, 4 * i, 4); // an exact duplicate
                continue;
            }
            int cx = 40 * rnd.nextInt(0, 6) + rnd.nextInt(-8, 9);
            int cy = 40 * rnd.nextInt(0, 6) + rnd.nextInt(-8, 9);
            int w = rnd.nextInt(1, 60);
            int h = rnd.nextInt(1, 60);
            b[4 * i] = cx - w / 2;
            b[4 * i + 1] = cy - h / 2;
            b[4 * i + 2] = cx - w / 2 + w;
            b[4 * i + 3] = cy - h / 2 + h;
        }
        return b;
    }
}
