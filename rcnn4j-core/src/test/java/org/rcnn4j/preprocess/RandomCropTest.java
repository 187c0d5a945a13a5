package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.ImageRecord;

/** The crop moves the pixels and the boxes together, clips or drops cut boxes, never empties an image. */
class RandomCropTest {
    /** 10×8 image whose pixel (x, y) is (x, y, 7). */
    static RgbImage ramp() {
        byte[] p = new byte[10 * 8 * 3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                p[(y * 10 + x) * 3] = (byte) x;
                p[(y * 10 + x) * 3 + 1] = (byte) y;
                p[(y * 10 + x) * 3 + 2] = 7;
            }
        }
        return new RgbImage(10, 8, p);
    }

    static final ImageRecord RECORD = new ImageRecord(1, "a", "a.png", 10, 8, List.of(
            Annotation.of(1, 1, 1, 1, 5, 5),      // half inside the window below
            Annotation.of(2, 2, 4, 2, 6, 4),      // wholly inside
            Annotation.of(3, 1, 8, 6, 10, 8)));   // wholly outside

    @Test
    void pixelsAndBoxesMoveTogetherAndCutBoxesAreClippedOrDropped() {
        RandomCrop.Cropped c = new RandomCrop(1, 0.5, 0.5).crop(ramp(), RECORD, 3, 1, 5, 4);
        assertEquals(5, c.image().width());
        assertEquals(4, c.image().height());
        assertEquals(5, c.record().width());
        assertArrayEquals(new int[] {3, 1, 7}, new int[] {c.image().get(0, 0, 0), c.image().get(0, 0, 1), c.image().get(0, 0, 2)});
        assertEquals(7, c.image().get(4, 3, 0), "the window's last column is image column 7");
        List<Annotation> a = c.record().annotations();
        assertEquals(2, a.size(), "the box outside is dropped");
        // Box 1 keeps columns 3..5 of 1..5 and all its rows inside 1..5: 2×4 of 4×4, half its area.
        assertArrayEquals(new float[] {0, 0, 2, 4}, a.get(0).box());
        assertEquals(8.0, a.get(0).area(), 1e-9, "COCO's area scaled by the visible fraction");
        assertArrayEquals(new float[] {1, 1, 3, 3}, a.get(1).box());
        RandomCrop.Cropped strict = new RandomCrop(1, 0.5, 0.6).crop(ramp(), RECORD, 3, 1, 5, 4);
        assertEquals(List.of(2L), strict.record().annotations().stream().map(Annotation::id).toList(),
                "half visible is below 0.6: dropped");
    }

    @Test
    void aWindowWithoutAnyObjectLeavesTheImageUncropped() {
        RgbImage image = ramp();
        RandomCrop.Cropped c = new RandomCrop(1, 0.2, 0.5).crop(image, new ImageRecord(1, "a", "a.png", 10, 8,
                List.of(Annotation.of(1, 1, 0, 0, 2, 2))), 6, 4, 3, 3);
        assertSame(image, c.image());
        ImageRecord background = new ImageRecord(2, "b", "b.png", 10, 8, List.of());
        assertEquals(3, new RandomCrop(1, 0.2, 0.5).crop(image, background, 6, 4, 3, 3).image().width(),
                "an image without objects is cropped");
    }

    @Test
    void drawnWindowsStayInsideTheImageWithinTheRangeAndFollowTheSeed() {
        RandomCrop crop = new RandomCrop(0.5, 0.6, 0.3);
        SplittableRandom random = new SplittableRandom(4);
        int taken = 0;
        for (int i = 0; i < 1000; i++) {
            RandomCrop.Cropped c = crop.apply(ramp(), new ImageRecord(1, "a", "a.png", 10, 8, List.of()), random);
            int w = c.image().width();
            int h = c.image().height();
            assertTrue(w >= 6 && w <= 10 && h >= 5 && h <= 8, w + "×" + h);
            if (w < 10 || h < 8) taken++;
        }
        assertTrue(taken > 350 && taken < 550, "about half the images cropped: " + taken);
        assertArrayEquals(crop.apply(ramp(), RECORD, new SplittableRandom(11)).image().pixels(),
                crop.apply(ramp(), RECORD, new SplittableRandom(11)).image().pixels());
        assertSame(RECORD, RandomCrop.none().apply(ramp(), RECORD, new SplittableRandom(1)).record());
    }
}
