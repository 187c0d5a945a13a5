package org.rcnn4j.box;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoxCoderTest {

    @Test
    void encodeHandComputed() {
        // P: [0, 0, 10, 20] -> centre (5, 10), size 10 x 20 (continuous: no +1).
        // G: [2, 4, 22, 24] -> centre (12, 14), size 20 x 20.
        // tx = (12 - 5) / 10 = 0.7, ty = (14 - 10) / 20 = 0.2, tw = log 2, th = log 1 = 0.
        float[] p = {0, 0, 10, 20};
        float[] g = {2, 4, 22, 24};
        float[] t = BoxCoder.rcnn().encode(p, g);
        assertArrayEquals(new float[] {0.7f, 0.2f, (float) Math.log(2), 0f}, t, 1e-6f);
        // Fast R-CNN normalisation divides by the stds 0.1, 0.1, 0.2, 0.2.
        float[] n = BoxCoder.fastRcnn().encode(p, g);
        assertArrayEquals(new float[] {7f, 2f, (float) (Math.log(2) / 0.2), 0f}, n, 1e-5f);
    }

    @Test
    void decodeOfZeroDeltasIsTheIdentity() {
        float[] boxes = {0, 0, 10, 20, -3.5f, 2, 18.5f, 13};
        assertArrayEquals(boxes, BoxCoder.rcnn().decode(new float[8], boxes), 1e-6f);
        // With means, zero deltas are the mean shift, not the identity; here means are 0.
        assertArrayEquals(boxes, BoxCoder.fastRcnn().decode(new float[8], boxes), 1e-6f);
    }

    @Test
    void encodeDecodeRoundTripWithAndWithoutNormalisation() {
        BoxCoder[] coders = {
            BoxCoder.rcnn(),
            BoxCoder.fastRcnn(),
            new BoxCoder(new float[] {0.05f, -0.1f, 0.2f, -0.3f}, new float[] {0.1f, 0.2f, 0.3f, 0.5f}),
        };
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 200;
        float[] p = randomBoxes(rnd, n);
        float[] g = randomBoxes(rnd, n);
        for (BoxCoder coder : coders) {
            float[] back = coder.decode(coder.encode(p, g), p);
            assertArrayEquals(g, back, 2e-3f);
        }
    }

    @Test
    void meansAndStdsNormaliseTargets() {
        float[] p = {0, 0, 10, 20};
        float[] g = {2, 4, 22, 24};
        BoxCoder coder = new BoxCoder(new float[] {0.5f, 0f, 0f, 1f}, new float[] {0.5f, 1f, 1f, 2f});
        // ((0.7 - 0.5) / 0.5, 0.2, log 2, (0 - 1) / 2)
        assertArrayEquals(new float[] {0.4f, 0.2f, (float) Math.log(2), -0.5f}, coder.encode(p, g), 1e-6f);
    }

    @Test
    void decodeClampsTheLogScale() {
        float[] box = {0, 0, 16, 16};
        float[] out = BoxCoder.rcnn().decode(new float[] {0, 0, 100, Float.POSITIVE_INFINITY}, box);
        // exp(min(100, log(1000/16))) * 16 = 1000 around centre 8.
        assertArrayEquals(new float[] {8 - 500, 8 - 500, 8 + 500, 8 + 500}, out, 1e-2f);
        // The clamp applies after de-normalisation: 20 * 0.2 = 4 < log(62.5) = 4.135 is not clamped.
        float[] n = BoxCoder.fastRcnn().decode(new float[] {0, 0, 20, 25}, box);
        assertEquals(16 * Math.exp(4), n[2] - n[0], 1e-2);
        assertEquals(1000, n[3] - n[1], 1e-2);
        // A custom clamp.
        float[] c = new BoxCoder(new float[4], new float[] {1, 1, 1, 1}, Math.log(2)).decode(
                new float[] {0, 0, 5, -1}, box);
        assertEquals(32, c[2] - c[0], 1e-4);
        assertEquals(16 / Math.E, c[3] - c[1], 1e-4);
    }

    @Test
    void classSpecificDecodeUsesEachClassDeltasOnItsRow() {
        BoxCoder coder = BoxCoder.rcnn();
        float[] rois = {0, 0, 10, 10, 10, 10, 30, 50};
        float[] deltas = {
            0, 0, 0, 0, /* class 1 */ 0.5f, 0, 0, 0, /* class 2 */ 0, 0, (float) Math.log(2), 0,
            0, 0, 0, 0, /* class 1 */ 0, -0.25f, 0, 0, /* class 2 */ 0, 0, 0, (float) Math.log(0.5),
        };
        float[] out = coder.decodeClassSpecific(deltas, rois, 3);
        float[] expected = {
            0, 0, 10, 10, 5, 0, 15, 10, -5, 0, 15, 10,
            10, 10, 30, 50, 10, 0, 30, 40, 10, 20, 30, 40,
        };
        assertArrayEquals(expected, out, 1e-5f);
        // Agrees with the class-agnostic decode applied column block by column block.
        for (int c = 0; c < 3; c++) {
            float[] dc = new float[8];
            System.arraycopy(deltas, 4 * c, dc, 0, 4);
            System.arraycopy(deltas, 12 + 4 * c, dc, 4, 4);
            float[] bc = coder.decode(dc, rois);
            for (int k = 0; k < 4; k++) {
                assertEquals(bc[k], out[4 * c + k], 0f);
                assertEquals(bc[4 + k], out[12 + 4 * c + k], 0f);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> coder.decodeClassSpecific(deltas, rois, 2));
    }

    @Test
    void emptyInputs() {
        BoxCoder coder = BoxCoder.fastRcnn();
        assertEquals(0, coder.encode(new float[0], new float[0]).length);
        assertEquals(0, coder.decode(new float[0], new float[0]).length);
        assertEquals(0, coder.decodeClassSpecific(new float[0], new float[0], 21).length);
    }

    @Test
    void encodeRejectsDegenerateAndNonFiniteBoxes() {
        BoxCoder coder = BoxCoder.rcnn();
        float[] ok = {0, 0, 10, 10};
        assertThrows(IllegalArgumentException.class, () -> coder.encode(new float[] {0, 0, 0, 10}, ok));
        assertThrows(IllegalArgumentException.class, () -> coder.encode(ok, new float[] {0, 0, 10, -1}));
        assertThrows(IllegalArgumentException.class, () -> coder.encode(ok, new float[] {0, 0, Float.NaN, 10}));
        assertThrows(IllegalArgumentException.class,
                () -> coder.encode(new float[] {Float.NEGATIVE_INFINITY, 0, 10, 10}, ok));
        assertThrows(IllegalArgumentException.class, () -> coder.encode(ok, new float[8]));
    }

    @Test
    void decodeNonFiniteIsDocumented() {
        BoxCoder coder = BoxCoder.rcnn();
        float[] boxes = {0, 0, 10, 10, 0, 0, 10, 10, 0, 0, 10, 10, 0, 0, Float.NaN, 10};
        float[] deltas = {
            Float.NaN, 0, 0, 0,                    // NaN dx: NaN x1, x2 only
            0, 0, Float.NaN, 0,                    // NaN dw: not clamped into a plausible width
            0, 0, Float.NEGATIVE_INFINITY, 0,      // -inf dw: zero width at the centre
            0, 0, 0, 0,                            // NaN box: NaN out
        };
        float[] out = coder.decode(deltas, boxes);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[2]));
        assertArrayEquals(new float[] {0, 10}, new float[] {out[1], out[3]}, 0f);
        assertTrue(Float.isNaN(out[4]) && Float.isNaN(out[6]));
        assertArrayEquals(new float[] {5, 0, 5, 10}, new float[] {out[8], out[9], out[10], out[11]}, 0f);
        assertTrue(Float.isNaN(out[12]) && Float.isNaN(out[14]));
        assertArrayEquals(new int[] {2}, Boxes.removeSmall(out, 0), "callers can drop NaN rows");
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new BoxCoder(new float[3], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> new BoxCoder(new float[4], new float[] {1, 1, 0, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new BoxCoder(new float[] {Float.NaN, 0, 0, 0}, new float[] {1, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new BoxCoder(new float[4], new float[] {1, 1, 1, 1}, 0));
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.2f, 0.2f}, BoxCoder.fastRcnn().stds(), 0f);
    }

    static float[] randomBoxes(SplittableRandom rnd, int n) {
        float[] b = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float x = (float) rnd.nextDouble(0, 500);
            float y = (float) rnd.nextDouble(0, 500);
            b[4 * i] = x;
            b[4 * i + 1] = y;
            // Sides 10..300: size ratios stay below the decode clamp of 62.5.
            b[4 * i + 2] = x + (float) rnd.nextDouble(10, 300);
            b[4 * i + 3] = y + (float) rnd.nextDouble(10, 300);
        }
        return b;
    }
}
