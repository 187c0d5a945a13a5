package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Photometric jitter: each step's known values, the drawn ranges, determinism. */
class PhotometricJitterTest {
    private static RgbImage pixels(int... rgb) {
        byte[] p = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) p[i] = (byte) rgb[i];
        return new RgbImage(rgb.length / 3, 1, p);
    }

    private static int[] values(RgbImage image) {
        int[] out = new int[image.pixels().length];
        for (int i = 0; i < out.length; i++) out[i] = image.pixels()[i] & 0xFF;
        return out;
    }

    private static RgbImage only(int step, double brightness, double contrast, double saturation, double hue, boolean gray,
            RgbImage image) {
        return PhotometricJitter.apply(image, new PhotometricJitter.Draw(new int[] {step}, brightness, contrast, saturation, hue, gray));
    }

    @Test
    void brightnessScalesAndClamps() {
        assertArrayEquals(new int[] {100, 50, 25}, values(only(0, 0.5, 1, 1, 0, false, pixels(200, 100, 50))));
        assertArrayEquals(new int[] {255, 150, 75}, values(only(0, 1.5, 1, 1, 0, false, pixels(200, 100, 50))));
    }

    @Test
    void contrastBlendsWithTheMeanGrayAndSaturationWithThePixelsGray() {
        // Two pixels, black and white: mean luma 0.5; contrast 0 makes both mid gray.
        assertArrayEquals(new int[] {128, 128, 128, 128, 128, 128},
                values(only(1, 1, 0, 1, 0, false, pixels(0, 0, 0, 255, 255, 255))));
        // Saturation 0 is the pixel's luma: 0.299·255 = 76.2 for pure red.
        assertArrayEquals(new int[] {76, 76, 76}, values(only(2, 1, 1, 0, 0, false, pixels(255, 0, 0))));
        assertArrayEquals(new int[] {76, 76, 76}, values(only(3, 1, 1, 1, 0, true, pixels(255, 0, 0))), "grayscale");
    }

    @Test
    void hueTurnsColoursAroundTheWheelAndLeavesGraysAlone() {
        assertArrayEquals(new int[] {0, 255, 0}, values(only(3, 1, 1, 1, 1.0 / 3, false, pixels(255, 0, 0))), "red → green");
        assertArrayEquals(new int[] {0, 0, 255}, values(only(3, 1, 1, 1, -1.0 / 3, false, pixels(255, 0, 0))), "red → blue");
        assertArrayEquals(new int[] {90, 90, 90}, values(only(3, 1, 1, 1, 0.25, false, pixels(90, 90, 90))));
        // Half a turn gives the complement: (200, 100, 50) → (50, 150, 200), value and chroma kept.
        assertArrayEquals(new int[] {50, 150, 200}, values(only(3, 1, 1, 1, 0.5, false, pixels(200, 100, 50))));
    }

    @Test
    void factorsStayInTheirRangesAndTheSameSeedGivesTheSameBytes() {
        PhotometricJitter j = new PhotometricJitter(0.4, 0.3, 0.2, 0.1, 0.25);
        SplittableRandom random = new SplittableRandom(3);
        int grays = 0;
        for (int i = 0; i < 2000; i++) {
            PhotometricJitter.Draw d = j.draw(random);
            assertTrue(d.brightness() >= 0.6 && d.brightness() <= 1.4, "brightness " + d.brightness());
            assertTrue(d.contrast() >= 0.7 && d.contrast() <= 1.3, "contrast " + d.contrast());
            assertTrue(d.saturation() >= 0.8 && d.saturation() <= 1.2, "saturation " + d.saturation());
            assertTrue(d.hue() >= -0.1 && d.hue() <= 0.1, "hue " + d.hue());
            int[] steps = d.order().clone();
            java.util.Arrays.sort(steps);
            assertArrayEquals(new int[] {0, 1, 2, 3}, steps, "a permutation of the four steps");
            if (d.grayscale()) grays++;
        }
        assertTrue(grays > 400 && grays < 600, "grayscale about a quarter of the time: " + grays);
        RgbImage image = pixels(10, 200, 30, 250, 40, 90, 120, 120, 5);
        RgbImage a = j.apply(image, new SplittableRandom(9));
        assertArrayEquals(a.pixels(), j.apply(image, new SplittableRandom(9)).pixels());
        assertFalse(java.util.Arrays.equals(image.pixels(), a.pixels()), "something changed");
        assertSame(image, PhotometricJitter.none().apply(image, new SplittableRandom(1)), "none leaves the image as it is");
        assertThrows(IllegalArgumentException.class, () -> new PhotometricJitter(0, 0, 0, 0.6, 0));
        assertThrows(IllegalArgumentException.class, () -> new PhotometricJitter(-0.1, 0, 0, 0, 0));
    }
}
