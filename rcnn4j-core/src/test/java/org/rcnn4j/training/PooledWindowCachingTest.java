package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.config.RoiConfig;

/** Which proposals SPP-net caches for fine-tuning: every foreground one, background in [bgLow, fgIoU) up to a cap. */
class PooledWindowCachingTest {
    static final RoiConfig ROI = RoiConfig.fastRcnn();
    static final float[] GT = {0, 0, 10, 10};

    /** A 10-wide box shifted right by {@code dx}: IoU (10 − dx)/(10 + dx) with GT. */
    static float[] shifted(int... dx) {
        float[] b = new float[4 * dx.length];
        for (int i = 0; i < dx.length; i++) {
            b[4 * i] = dx[i];
            b[4 * i + 2] = 10 + dx[i];
            b[4 * i + 3] = 10;
        }
        return b;
    }

    @Test
    void keepsForegroundAndBackgroundInRangeInProposalOrder() {
        // IoU: dx 0 → 1, 2 → 0.667, 4 → 0.429, 7 → 0.176, 9 → 0.053, 12 → 0.
        float[] proposals = shifted(9, 0, 4, 12, 7, 2);
        int[] kept = PooledWindowCaching.fineTuningWindows(proposals, GT, ROI, 0, new SplittableRandom(1));
        assertArrayEquals(new int[] {1, 2, 4, 5}, kept, "IoU below bgLow 0.1 is never sampled");
    }

    @Test
    void capsBackgroundWithASeededSubsetAndKeepsEveryForeground() {
        // 2 foreground (dx 0, 1: IoU 1, 0.82), 6 background (dx 4, 5, 6, 7, 8, 4: IoU 0.43 down to 0.11).
        float[] proposals = shifted(4, 0, 5, 6, 1, 7, 8, 4);
        int[] a = PooledWindowCaching.fineTuningWindows(proposals, GT, ROI, 3, new SplittableRandom(5));
        assertEquals(5, a.length, "2 foreground + 3 of the 6 background");
        assertEquals(2, java.util.Arrays.stream(a).filter(i -> i == 1 || i == 4).count());
        for (int i = 1; i < a.length; i++) assertEquals(true, a[i] > a[i - 1], "in proposal order");
        assertArrayEquals(a, PooledWindowCaching.fineTuningWindows(proposals, GT, ROI, 3, new SplittableRandom(5)), "seeded");
        boolean differs = false;
        for (long seed = 6; seed < 20 && !differs; seed++) {
            differs = !java.util.Arrays.equals(a, PooledWindowCaching.fineTuningWindows(proposals, GT, ROI, 3, new SplittableRandom(seed)));
        }
        assertEquals(true, differs, "another seed draws another subset");
    }

    @Test
    void noObjectsOrNoProposalsCacheNoWindow() {
        assertEquals(0, PooledWindowCaching.fineTuningWindows(shifted(0, 2), new float[0], ROI, 0, new SplittableRandom(1)).length);
        assertEquals(0, PooledWindowCaching.fineTuningWindows(new float[0], GT, ROI, 0, new SplittableRandom(1)).length);
    }

    @Test
    void batchOrderVisitsEveryImageOncePerPass() {
        CachedFineTuning.BatchOrder order = new CachedFineTuning.BatchOrder(7, 2, 42);
        int[] seen = new int[7];
        long passStart = 0;
        // 7 images at 2 per batch: iterations 0..6 take 14 images, two whole passes.
        for (long iter = passStart; iter < 7; iter++) for (int i : order.images(iter)) seen[i]++;
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2}, seen);
        CachedFineTuning.BatchOrder again = new CachedFineTuning.BatchOrder(7, 2, 42);
        CachedFineTuning.BatchOrder other = new CachedFineTuning.BatchOrder(7, 2, 43);
        StringBuilder a = new StringBuilder(), b = new StringBuilder(), c = new StringBuilder();
        for (long iter = 20; iter >= 0; iter--) {
            a.append(java.util.Arrays.toString(order.images(iter)));
            b.append(java.util.Arrays.toString(again.images(iter)));
            c.append(java.util.Arrays.toString(other.images(iter)));
        }
        assertEquals(a.toString(), b.toString(), "a function of (seed, iteration), in any call order");
        assertNotEquals(a.toString(), c.toString());
    }
}
