package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;

class DetectionBatchTest {
    private static RgbImage filled(int w, int h, int value) {
        byte[] px = new byte[w * h * 3];
        java.util.Arrays.fill(px, (byte) value);
        return new RgbImage(w, h, px);
    }

    @Test
    void padsBottomRightWithZerosAfterNormalisation() {
        // Normalisation maps byte 0 to -2, so padding (0) is distinguishable from a black pixel.
        Normalize n = new Normalize(new float[] {2, 2, 2}, new float[] {1, 1, 1}, false);
        Dataset ds = new Dataset(null, List.of(), List.of(new Category(5, "x")), List.of());
        ImageRecord a = new ImageRecord(1, "a", "a.png", 4, 2, List.of(Annotation.of(1, 5, 0, 0, 2, 2)));
        ImageRecord b = new ImageRecord(2, "b", "b.png", 2, 3, List.of());
        PreparedImage pa = PreparedImage.prepare(filled(4, 2, 0), a, null, ds, 2, 1000, false);
        PreparedImage pb = PreparedImage.prepare(filled(2, 3, 0), b, Path.of("b.png"), ds, 2, 1000, false);
        // a: 4x2 at s = 2 → scale 1; b: 2x3 at s = 2 → scale 1.
        DetectionBatch batch = DetectionBatch.assemble(List.of(pa, pb), n, 1);
        assertArrayEquals(new long[] {2, 3, 3, 4}, batch.shape());
        assertEquals(1, batch.image(0).numObjects());
        assertArrayEquals(new int[] {1}, batch.image(0).classes());
        assertEquals(0, batch.image(1).numObjects());
        int plane = 3 * 4;
        for (int c = 0; c < 3; c++) {
            int base0 = c * plane, base1 = (3 + c) * plane;
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(y < 2 ? -2f : 0f, batch.pixels()[base0 + y * 4 + x], "image 0 " + x + "," + y);
                    assertEquals(x < 2 ? -2f : 0f, batch.pixels()[base1 + y * 4 + x], "image 1 " + x + "," + y);
                }
            }
        }
        DetectionBatch rounded = DetectionBatch.assemble(List.of(pa, pb), n, 32);
        assertArrayEquals(new long[] {2, 3, 32, 32}, rounded.shape());
        assertThrows(IllegalArgumentException.class, () -> DetectionBatch.assemble(List.of(), n, 1));
    }
}
