package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizeTest {
    @Test
    void imagenetAndCaffeValues() {
        Normalize n = Normalize.imagenet();
        assertEquals((1 - 0.485) / 0.229, n.apply(0, 255), 1e-5);
        assertEquals((0 - 0.406) / 0.225, n.apply(2, 0), 1e-5);
        assertEquals((128 / 255.0 - 0.456) / 0.224, n.apply(1, 128), 1e-5);
        Normalize caffe = Normalize.caffe();
        assertEquals(255 - 122.7717, caffe.apply(0, 255), 1e-4);
        assertEquals(0 - 102.9801, caffe.apply(2, 0), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[3], new float[] {1, 0, 1}, true));
    }

    @Test
    void chwLayoutAndPaddingUntouched() {
        // 2x1 image: pixel 0 = (1, 2, 3), pixel 1 = (4, 5, 6); identity normalisation.
        RgbImage img = new RgbImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        Normalize identity = new Normalize(new float[3], new float[] {1, 1, 1}, false);
        assertEquals(java.util.Arrays.toString(new float[] {1, 4, 2, 5, 3, 6}), java.util.Arrays.toString(identity.toChw(img)));
        // Into a 2x3 plane (H = 2, W = 3) pre-filled with -1: only the top-left 1x2 of each channel changes.
        float[] dst = new float[1 + 3 * 6];
        java.util.Arrays.fill(dst, -1);
        identity.toChw(img, dst, 1, 2, 3);
        float[] expected = {-1, 1, 4, -1, -1, -1, -1, 2, 5, -1, -1, -1, -1, 3, 6, -1, -1, -1, -1};
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(dst));
        assertThrows(IllegalArgumentException.class, () -> identity.toChw(img, new float[3], 0, 1, 1));
    }
}
