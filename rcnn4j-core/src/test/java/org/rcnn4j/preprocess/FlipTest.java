package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlipTest {
    @Test
    void boxesMirrorContinuously() {
        // W = 100: [10, 30) → [70, 90); the full-width box maps onto itself.
        assertArrayEquals(new float[] {70, 20, 90, 40, 0, 0, 100, 50},
                Flip.boxes(new float[] {10, 20, 30, 40, 0, 0, 100, 50}, 100), 0f);
        float[] boxes = {3.5f, 1, 17.25f, 9};
        assertArrayEquals(boxes, Flip.boxes(Flip.boxes(boxes, 41), 41), 0f);
        assertEquals(0, Flip.boxes(new float[0], 10).length);
    }

    @Test
    void imageMirrorsAndFlippedBoxCoversFlippedPixels() {
        // A 10x4 image with a white block over columns 1..3 (box [1, 4)).
        RgbImage img = RgbImage.black(10, 4);
        for (int y = 0; y < 4; y++) for (int x = 1; x < 4; x++) for (int c = 0; c < 3; c++) img.pixels()[(y * 10 + x) * 3 + c] = (byte) 255;
        img.pixels()[0] = 7; // pixel (0, 0) red = 7 marks the left edge
        RgbImage flipped = Flip.horizontal(img);
        assertEquals(7, flipped.get(9, 0, 0));
        float[] box = Flip.boxes(new float[] {1, 0, 4, 4}, 10);
        assertArrayEquals(new float[] {6, 0, 9, 4}, box, 0f);
        for (int x = 0; x < 10; x++) {
            boolean inside = x >= box[0] && x < box[2];
            assertEquals(inside ? 255 : 0, flipped.get(x, 2, 1), "column " + x);
        }
        assertArrayEquals(img.pixels(), Flip.horizontal(flipped).pixels());
    }
}
