package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneComposerTest {

    private static Layer square(int x, int y, int side, float alpha) {
        float[] a = new float[side * side];
        Arrays.fill(a, alpha);
        return new Layer(x, y, side, side, a);
    }

    @Test
    void laterLayerHidesWhatItCovers() {
        SceneComposer c = new SceneComposer(16, 0.5, 1.0);
        assertTrue(c.tryAdd(square(0, 0, 4, 1f)));
        // Covers columns 2..3 of rows 0..3 of the first: 8 of its 16 pixels stay, exactly the 0.5 needed.
        assertTrue(c.tryAdd(square(2, 0, 4, 1f)));
        SceneComposer.Visibility[] v = c.visibility();
        assertEquals(8, v[0].pixels());
        assertArrayEquals(new float[] {0, 0, 2, 4}, v[0].box());
        assertEquals(16, v[1].pixels());
        assertArrayEquals(new float[] {2, 0, 6, 4}, v[1].box());
    }

    @Test
    void rejectsLayerHidingTooMuchOfAnEarlierOne() {
        SceneComposer c = new SceneComposer(16, 0.6, 1.0);
        assertTrue(c.tryAdd(square(0, 0, 4, 1f)));
        assertFalse(c.tryAdd(square(2, 0, 4, 1f)), "would leave 8/16 = 0.5 < 0.6 visible");
        assertEquals(1, c.layers().size());
        assertTrue(c.tryAdd(square(3, 0, 4, 1f)), "leaves 12/16 = 0.75 visible");
    }

    @Test
    void translucentCoverKeepsPixelsVisibleAboveThreshold() {
        SceneComposer c = new SceneComposer(8, 1.0, 1.0);
        assertTrue(c.tryAdd(square(0, 0, 2, 1f)));
        // Weight under a cover of alpha 0.7 is 1 * 0.3 = 0.3 > 0.2: still visible.
        assertTrue(c.tryAdd(square(0, 0, 2, 0.7f)));
        // A second 0.7 cover: 0.3 * 0.3 = 0.09 <= 0.2, the bottom object would vanish.
        assertFalse(c.tryAdd(square(0, 0, 2, 0.7f)));
    }

    @Test
    void rejectsBoxesOverlappingBeyondIoU() {
        SceneComposer c = new SceneComposer(32, 0.0, 0.3);
        assertTrue(c.tryAdd(square(0, 0, 10, 1f)));
        // A half-transparent cover leaves the bottom square fully visible (weight 0.5 > 0.2), so the
        // boxes [0,10]^2 and [5,15]x[0,10] would have IoU 50 / 150 = 1/3 > 0.3.
        assertFalse(c.tryAdd(square(5, 0, 10, 0.5f)));
        // [6,16]x[0,10]: 40 / 160 = 0.25.
        assertTrue(c.tryAdd(square(6, 0, 10, 0.5f)));
    }

    @Test
    void iouRuleUsesVisibleBoxes() {
        SceneComposer c = new SceneComposer(32, 0.0, 0.3);
        assertTrue(c.tryAdd(square(0, 0, 10, 1f)));
        // Opaque at [5,15]: the bottom square's visible box shrinks to [0,5]x[0,10], IoU 0.
        assertTrue(c.tryAdd(square(5, 0, 10, 1f)));
        assertArrayEquals(new float[] {0, 0, 5, 10}, c.visibility()[0].box());
    }

    @Test
    void invisibleLayerIsRejectedAndOutsideLayerThrows() {
        SceneComposer c = new SceneComposer(8, 0.0, 1.0);
        assertFalse(c.tryAdd(square(0, 0, 2, 0.2f)), "alpha 0.2 is not above the threshold");
        assertThrows(IllegalArgumentException.class, () -> c.tryAdd(square(7, 0, 2, 1f)));
    }

    @Test
    void iouByHand() {
        assertEquals(1.0 / 7.0, SceneComposer.iou(new float[] {0, 0, 2, 2}, new float[] {1, 1, 3, 3}), 1e-12);
        assertEquals(0.0, SceneComposer.iou(new float[] {0, 0, 2, 2}, new float[] {2, 0, 4, 2}));
        assertEquals(1.0, SceneComposer.iou(new float[] {1, 2, 5, 7}, new float[] {1, 2, 5, 7}), 1e-12);
    }

    @Test
    void compositeBlendsOverPerChannel() {
        int[] rgb = {0x000000, 0x204060};
        float[] a = {0f, 0.5f};
        SceneComposer.composite(rgb, 2, List.of(new Layer(0, 0, 2, 1, a)), List.of(new int[] {0xFFFFFF, 0xA0C0E0}));
        assertEquals(0x000000, rgb[0], "alpha 0 leaves the pixel");
        // 0.5 * (0xA0, 0xC0, 0xE0) + 0.5 * (0x20, 0x40, 0x60) = (0x60, 0x80, 0xA0)
        assertEquals(0x6080A0, rgb[1]);
    }
}
