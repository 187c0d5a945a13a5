package org.rcnn4j.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoxesTest {

    private static final float EPS = 1e-6f;

    @Test
    void areaIsContinuousAndZeroForDegenerateBoxes() {
        float[] boxes = {
            0, 0, 10, 10,   // 10 x 10 = 100 (pixels 0..9: continuous, no +1)
            2, 3, 5, 9,     // 3 x 6 = 18
            5, 5, 5, 9,     // zero width
            4, 4, 2, 1,     // x2 < x1 and y2 < y1: the raw product (-2)(-3) = 6 would be wrong
        };
        assertArrayEquals(new float[] {100, 18, 0, 0}, Boxes.area(boxes), 0f);
        assertEquals(0, Boxes.area(new float[0]).length);
        assertTrue(Float.isNaN(Boxes.area(new float[] {0, 0, Float.NaN, 1})[0]));
    }

    @Test
    void countRejectsRaggedArrays() {
        assertEquals(2, Boxes.count(new float[8]));
        assertThrows(IllegalArgumentException.class, () -> Boxes.count(new float[7]));
        assertThrows(IllegalArgumentException.class, () -> Boxes.iou(new float[5], new float[4]));
    }

    @Test
    void iouHandComputedTable() {
        float[] a = {
            0, 0, 10, 10,   // A0
            0, 0, 4, 4,     // A1: inside A0
            3, 3, 3, 8,     // A2: zero width (degenerate)
        };
        float[] b = {
            0, 0, 10, 10,   // B0 identical to A0
            20, 20, 30, 30, // B1 disjoint
            10, 0, 20, 10,  // B2 touches A0 along x = 10
            5, 0, 15, 10,   // B3 half-overlaps A0: inter 50, union 150
            2, 2, 6, 6,     // B4: with A1 inter [2,4]^2 = 4, union 16 + 16 - 4 = 28
            3, 3, 3, 8,     // B5 the same degenerate box as A2
        };
        float[] expected = {
            // B0      B1  B2  B3          B4           B5
            1f,        0f, 0f, 50f / 150f, 16f / 100f,  0f, // A0 (B4 inside A0: 16 / 100)
            16f / 100f, 0f, 0f, 0f,        4f / 28f,    0f, // A1 (x overlap with B3 is [5,4]: none)
            0f,        0f, 0f, 0f,         0f,          0f, // A2 degenerate: 0, never NaN
        };
        assertArrayEquals(expected, Boxes.iou(a, b), EPS);
    }

    @Test
    void iouIsSymmetricAndOneOnTheDiagonal() {
        float[] boxes = {1, 2, 7, 9, 0.5f, 0.5f, 3.5f, 4f, 6, 1, 12, 3};
        float[] m = Boxes.iou(boxes, boxes);
        for (int i = 0; i < 3; i++) {
            assertEquals(1f, m[i * 3 + i], EPS);
            for (int j = 0; j < 3; j++) {
                assertEquals(m[i * 3 + j], m[j * 3 + i], 0f);
            }
        }
    }

    @Test
    void iouEmptyAndNaN() {
        assertEquals(0, Boxes.iou(new float[0], new float[] {0, 0, 1, 1}).length);
        assertEquals(0, Boxes.iou(new float[] {0, 0, 1, 1}, new float[0]).length);
        float[] m = Boxes.iou(new float[] {0, 0, Float.NaN, 1}, new float[] {0, 0, 1, 1, 5, 5, 6, 6});
        assertTrue(Float.isNaN(m[0]));
        assertTrue(Float.isNaN(m[1]));
    }

    @Test
    void clipIsInPlaceAndClampsToTheImage() {
        float[] boxes = {-5, -1, 30, 12, 3, 4, 5, 6, Float.NEGATIVE_INFINITY, 2, Float.NaN, 50};
        float[] out = Boxes.clip(boxes, 20, 10);
        assertSame(boxes, out);
        assertArrayEquals(new float[] {0, 0, 20, 10, 3, 4, 5, 6, 0, 2, Float.NaN, 10}, boxes, 0f);
        assertEquals(0, Boxes.clip(new float[0], 5, 5).length);
    }

    @Test
    void removeSmallKeepsBoxesAtLeastMinSize() {
        float[] boxes = {
            0, 0, 16, 16,         // 16 x 16: kept at minSize 16 (>=)
            0, 0, 15.9f, 30,      // too narrow
            0, 0, 30, 15,         // too short
            0, 0, Float.NaN, 30,  // NaN: dropped
            5, 5, 40, 40,         // kept
        };
        assertArrayEquals(new int[] {0, 4}, Boxes.removeSmall(boxes, 16));
        assertArrayEquals(new int[] {0, 1, 2, 4}, Boxes.removeSmall(boxes, 0));
        assertEquals(0, Boxes.removeSmall(new float[0], 1).length);
    }

    @Test
    void selectGatherConcatAndFromInclusive() {
        float[] boxes = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        assertArrayEquals(new float[] {4, 4, 5, 5, 0, 0, 1, 1, 4, 4, 5, 5},
                Boxes.select(boxes, new int[] {2, 0, 2}), 0f);
        assertEquals(0, Boxes.select(boxes, new int[0]).length);
        assertArrayEquals(new float[] {30, 10}, Boxes.gather(new float[] {10, 20, 30}, new int[] {2, 0}), 0f);
        assertArrayEquals(new int[] {7}, Boxes.gather(new int[] {5, 7}, new int[] {1}));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8},
                Boxes.concat(new float[] {1, 2, 3, 4}, new float[0], new float[] {5, 6, 7, 8}), 0f);
        float[] rows = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {4, 5, 6}, Boxes.selectRows(rows, 3, new int[] {1}), 0f);
        // py-faster-rcnn's reference anchor [0, 0, 15, 15] covers 16 pixels: continuous [0, 0, 16, 16].
        float[] inclusive = {0, 0, 15, 15};
        assertArrayEquals(new float[] {0, 0, 16, 16}, Boxes.fromInclusive(inclusive), 0f);
        assertArrayEquals(new float[] {0, 0, 15, 15}, inclusive, 0f);
    }
}
