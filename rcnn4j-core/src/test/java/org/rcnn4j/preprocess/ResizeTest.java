package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeTest {
    @Test
    void scaleRuleHandComputedCases() {
        // 500x375, s = 600: 600 / 375 = 1.6, longer side 800 <= 1000 → 800x600.
        assertEquals(1.6, Resize.scaleFactor(500, 375, 600, 1000), 1e-12);
        assertEquals(800, Resize.scaledLength(500, 1.6));
        assertEquals(600, Resize.scaledLength(375, 1.6));
        // Portrait: same factor.
        assertEquals(1.6, Resize.scaleFactor(375, 500, 600, 1000), 1e-12);
        // 2000x100: 600 / 100 = 6 would give 12000 > 1000, so the longer side is capped: 1000 / 2000 = 0.5.
        assertEquals(0.5, Resize.scaleFactor(2000, 100, 600, 1000), 1e-12);
        // 1000x600 at s = 600: exactly 1000 long, not over the cap.
        assertEquals(1.0, Resize.scaleFactor(1000, 600, 600, 1000), 1e-12);
        // 320x320 fashion image at s = 600: 1.875.
        assertEquals(1.875, Resize.scaleFactor(320, 320, 600, 1000), 1e-12);
        // Multi-scale s = 1200 with the 2000 cap on 500x375: 3.2 → 1600 <= 2000.
        assertEquals(3.2, Resize.scaleFactor(500, 375, 1200, 2000), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Resize.scaleFactor(0, 10, 600, 1000));
    }

    @Test
    void toShortSideGivesRuleSizes() {
        Resize.Resized r = Resize.toShortSide(RgbImage.black(2000, 100), 600, 1000);
        assertEquals(0.5, r.scale(), 1e-12);
        assertEquals(1000, r.image().width());
        assertEquals(50, r.image().height());
    }

    @Test
    void upscaleByTwoHandComputed() {
        // Row [0, 200]: output x samples (x + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        RgbImage img = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 200, (byte) 200, (byte) 200});
        RgbImage out = Resize.bilinear(img, 2.0);
        assertEquals(4, out.width());
        assertEquals(2, out.height());
        int[] expected = {0, 50, 150, 200};
        for (int y = 0; y < 2; y++) for (int x = 0; x < 4; x++) assertEquals(expected[x], out.get(x, y, 1));
    }

    @Test
    void downscaleByTwoAveragesPairs() {
        // Output x samples 2x + 0.5: the mean of input columns 2x and 2x + 1.
        byte[] px = new byte[4 * 2 * 3];
        int[] row = {10, 30, 100, 201};
        for (int y = 0; y < 2; y++) for (int x = 0; x < 4; x++) for (int c = 0; c < 3; c++) px[(y * 4 + x) * 3 + c] = (byte) row[x];
        RgbImage out = Resize.bilinear(new RgbImage(4, 2, px), 0.5);
        assertEquals(2, out.width());
        assertEquals(1, out.height());
        assertEquals(20, out.get(0, 0, 0));
        assertEquals(151, out.get(1, 0, 2)); // 150.5 rounds up
    }

    @Test
    void matchesSlowReferenceWithinOneLevel() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] px = new byte[37 * 23 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) random.nextInt(256);
        RgbImage img = new RgbImage(37, 23, px);
        for (double scale : new double[] {0.37, 1.0 / 3, 1.6, 2.71}) {
            RgbImage fast = Resize.bilinear(img, scale);
            for (int y = 0; y < fast.height(); y++) {
                for (int x = 0; x < fast.width(); x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(reference(img, scale, x, y, c), fast.get(x, y, c), 1.0, "scale " + scale);
                    }
                }
            }
        }
    }

    /** Bilinear sample in doubles, straight from the definition. */
    private static double reference(RgbImage img, double scale, int x, int y, int c) {
        double sx = Math.max(0, Math.min(img.width() - 1, (x + 0.5) / scale - 0.5));
        double sy = Math.max(0, Math.min(img.height() - 1, (y + 0.5) / scale - 0.5));
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        int x1 = Math.min(x0 + 1, img.width() - 1), y1 = Math.min(y0 + 1, img.height() - 1);
        double fx = sx - x0, fy = sy - y0;
        double top = img.get(x0, y0, c) * (1 - fx) + img.get(x1, y0, c) * fx;
        double bottom = img.get(x0, y1, c) * (1 - fx) + img.get(x1, y1, c) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    @Test
    void constantImageStaysConstantAndIdentityIsFree() {
        byte[] px = new byte[9 * 5 * 3];
        java.util.Arrays.fill(px, (byte) 173);
        RgbImage img = new RgbImage(9, 5, px);
        RgbImage out = Resize.bilinear(img, 1.77);
        for (byte b : out.pixels()) assertEquals(173, b & 0xFF);
        assertSame(img, Resize.bilinear(img, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(img, 0));
    }

    @Test
    void boxesScaleByTheSameFactor() {
        assertArrayEquals(new float[] {16, 32, 48, 64, 0, 0, 800, 600},
                Resize.scaleBoxes(new float[] {10, 20, 30, 40, 0, 0, 500, 375}, 1.6), 1e-4f);
        assertEquals(0, Resize.scaleBoxes(new float[0], 2).length);
        assertThrows(IllegalArgumentException.class, () -> Resize.scaleBoxes(new float[3], 2));
    }
}
