package org.rcnn4j.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnchorGeneratorTest {

    /** py-faster-rcnn generate_anchors(16, [0.5, 1, 2], [8, 16, 32]), the published table. */
    private static final float[] FASTER_RCNN_ANCHORS = {
        -84, -40, 99, 55,
        -176, -88, 191, 103,
        -360, -184, 375, 199,
        -56, -56, 71, 71,
        -120, -120, 135, 135,
        -248, -248, 263, 263,
        -36, -80, 51, 95,
        -80, -168, 95, 183,
        -168, -344, 183, 359,
    };

    @Test
    void reproducesPyFasterRcnnTableExactly() {
        float[] a = AnchorGenerator.generateAnchors(16, new double[] {0.5, 1, 2}, new double[] {8, 16, 32});
        assertArrayEquals(FASTER_RCNN_ANCHORS, a, 0f);
    }

    @Test
    void fiveScalesTable() {
        float[] a = AnchorGenerator.generateAnchors(16, new double[] {0.5, 1, 2}, new double[] {2, 4, 8, 16, 32});
        assertEquals(15 * 4, a.length);
        // ratio 0.5: ws = round(sqrt(512)) = 23, hs = round(11.5) = 12, centre 7.5;
        // scale 2: 46 x 24 -> 7.5 -/+ 22.5, 7.5 -/+ 11.5.
        assertArrayEquals(new float[] {-15, -4, 30, 19}, Arrays.copyOfRange(a, 0, 4), 0f);
        // scale 4: 92 x 48 -> 7.5 -/+ 45.5, 7.5 -/+ 23.5.
        assertArrayEquals(new float[] {-38, -16, 53, 31}, Arrays.copyOfRange(a, 4, 8), 0f);
        // ratio 1, scale 2 (row 5): 32 x 32 -> 7.5 -/+ 15.5.
        assertArrayEquals(new float[] {-8, -8, 23, 23}, Arrays.copyOfRange(a, 20, 24), 0f);
        // Scales 8, 16, 32 (positions 2..4 of each ratio's 5) are the 9-anchor table.
        for (int r = 0; r < 3; r++) {
            for (int s = 0; s < 3; s++) {
                int row15 = r * 5 + s + 2;
                int row9 = r * 3 + s;
                assertArrayEquals(Arrays.copyOfRange(FASTER_RCNN_ANCHORS, 4 * row9, 4 * row9 + 4),
                        Arrays.copyOfRange(a, 4 * row15, 4 * row15 + 4), 0f);
            }
        }
    }

    @Test
    void roundsHalfToEvenLikeNumpy() {
        // base 18: size 324, ratio 0.5: ws = round(sqrt(648) = 25.46) = 25, hs = round(12.5) = 12
        // (half-up would give 13). Centre (17 / 2) = 8.5: x 8.5 -/+ 12, y 8.5 -/+ 5.5.
        float[] a = AnchorGenerator.generateAnchors(18, new double[] {0.5}, new double[] {1});
        assertArrayEquals(new float[] {-3.5f, 3, 20.5f, 14}, a, 0f);
    }

    @Test
    void cellAnchorsBySizeAndRatio() {
        float[] a = AnchorGenerator.cellAnchors(new double[] {32}, new double[] {0.5, 1, 2});
        double r2 = Math.sqrt(2);
        // r = 0.5: w = 32 * sqrt 2, h = 32 / sqrt 2 (wide); r = 2: tall; area 32^2 throughout.
        float[] expected = {
            (float) (-16 * r2), (float) (-16 / r2), (float) (16 * r2), (float) (16 / r2),
            -16, -16, 16, 16,
            (float) (-16 / r2), (float) (-16 * r2), (float) (16 / r2), (float) (16 * r2),
        };
        assertArrayEquals(expected, a, 1e-5f);
        float[] areas = Boxes.area(a);
        for (float area : areas) {
            assertEquals(1024f, area, 1e-2f);
        }
        // Ratio-major, size-minor.
        float[] b = AnchorGenerator.cellAnchors(new double[] {32, 64}, new double[] {1, 4});
        assertArrayEquals(new float[] {-16, -16, 16, 16, -32, -32, 32, 32, -8, -32, 8, 32, -16, -64, 16, 64}, b, 1e-5f);
        assertEquals(0, AnchorGenerator.cellAnchors(new double[0], new double[] {1}).length);
        assertThrows(IllegalArgumentException.class,
                () -> AnchorGenerator.cellAnchors(new double[] {32}, new double[] {0}));
    }

    @Test
    void shiftedAnchorsArePositionMajorAnchorMinor() {
        float[] a = AnchorGenerator.shifted(FASTER_RCNN_ANCHORS, 2, 3, 16);
        assertEquals(2 * 3 * 9, a.length / 4);
        // (y=0, x=0, a=0): the cell anchor itself.
        assertArrayEquals(new float[] {-84, -40, 99, 55}, row(a, 0), 0f);
        // (y=0, x=1, a=4): row (0 * 3 + 1) * 9 + 4 = 13, shift (16, 0).
        assertArrayEquals(new float[] {-104, -120, 151, 135}, row(a, 13), 0f);
        // (y=1, x=2, a=0): row (1 * 3 + 2) * 9 = 45, shift (32, 16).
        assertArrayEquals(new float[] {-52, -24, 131, 71}, row(a, 45), 0f);
        // (y=1, x=0, a=8): row 3 * 9 + 8 = 35, shift (0, 16).
        assertArrayEquals(new float[] {-168, -328, 183, 375}, row(a, 35), 0f);
        // Fractional stride.
        float[] c = AnchorGenerator.shifted(new float[] {-1, -1, 1, 1}, 1, 2, 2.5f);
        assertArrayEquals(new float[] {-1, -1, 1, 1, 1.5f, -1, 3.5f, 1}, c, 0f);
    }

    @Test
    void shiftedEmptyInputs() {
        assertEquals(0, AnchorGenerator.shifted(FASTER_RCNN_ANCHORS, 0, 5, 16).length);
        assertEquals(0, AnchorGenerator.shifted(new float[0], 4, 5, 16).length);
        assertThrows(IllegalArgumentException.class, () -> AnchorGenerator.shifted(FASTER_RCNN_ANCHORS, -1, 5, 16));
    }

    @Test
    void insideImage() {
        float[] anchors = {
            0, 0, 100, 50,      // exactly the image: inside
            -1, 0, 10, 10,      // crosses the left edge by 1
            0, 0, 100.5f, 10,   // crosses the right edge by 0.5
            10, 10, 20, 51,     // crosses the bottom
            0, 0, Float.NaN, 10,
        };
        assertArrayEquals(new int[] {0}, AnchorGenerator.insideImage(anchors, 100, 50, 0));
        assertArrayEquals(new int[] {0, 1, 2, 3}, AnchorGenerator.insideImage(anchors, 100, 50, 1));
        assertEquals(0, AnchorGenerator.insideImage(new float[0], 100, 50, 0).length);
    }

    @Test
    void insideImageAgreesWithPyFasterRcnnRuleOnInclusiveAnchors() {
        // py-faster-rcnn keeps x1 >= -b, y1 >= -b, x2 < W + b, y2 < H + b on inclusive anchors.
        float[] inclusive = AnchorGenerator.shifted(FASTER_RCNN_ANCHORS, 20, 30, 16);
        int width = 480;
        int height = 300;
        for (float border : new float[] {0, 16}) {
            int[] ours = AnchorGenerator.insideImage(Boxes.fromInclusive(inclusive), width, height, border);
            int[] theirs = java.util.stream.IntStream.range(0, inclusive.length / 4)
                    .filter(i -> inclusive[4 * i] >= -border && inclusive[4 * i + 1] >= -border
                            && inclusive[4 * i + 2] < width + border && inclusive[4 * i + 3] < height + border)
                    .toArray();
            assertArrayEquals(theirs, ours);
            assertEquals(true, ours.length > 0);
        }
    }

    private static float[] row(float[] boxes, int i) {
        return Arrays.copyOfRange(boxes, 4 * i, 4 * i + 4);
    }
}
