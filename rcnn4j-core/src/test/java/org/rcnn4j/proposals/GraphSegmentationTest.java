package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Felzenszwalb–Huttenlocher segmentation on hand-made images. */
class GraphSegmentationTest {
    /** One channel, W×H, left {@code split} columns 0 and the rest {@code right}. */
    static float[][] twoHalves(int w, int h, int split, float right) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = split; x < w; x++) p[y * w + x] = right;
        return new float[][] {p};
    }

    @Test
    void twoFlatRegionsSplitAtTheirBoundary() {
        int w = 20, h = 10;
        // Smoothing makes columns 8 and 9 intermediate (about 54 and 146): strips of 10 pixels that a
        // minimum size of 20 merges into their own side, across the lighter edge.
        for (float sigma : new float[] {0f, GraphSegmentation.SIGMA}) {
            Segmentation s = new GraphSegmentation(twoHalves(w, h, 9, 200), w, h, sigma).segment(50, 20);
            assertEquals(2, s.count(), "sigma " + sigma);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) assertEquals(x < 9 ? 0 : 1, s.labels()[y * w + x], "(" + x + ", " + y + ") sigma " + sigma);
            }
        }
    }

    @Test
    void aWeakEdgeIsMergedWhenKIsLargeEnough() {
        int w = 20, h = 10;
        // Across-edge weight 10, inside weights 0: the halves (90 and 110 pixels) merge once k / 110 >= 10.
        GraphSegmentation g = new GraphSegmentation(twoHalves(w, h, 9, 10), w, h, 0);
        assertEquals(2, g.segment(1090, 1).count());
        assertEquals(1, g.segment(1100, 1).count());
    }

    @Test
    void aConstantImageIsOneRegionWhateverK() {
        float[][] planes = {new float[12 * 7], new float[12 * 7], new float[12 * 7]};
        java.util.Arrays.fill(planes[1], 77);
        GraphSegmentation g = new GraphSegmentation(planes, 12, 7, GraphSegmentation.SIGMA);
        for (float k : new float[] {0, 1, 500}) {
            Segmentation s = g.segment(k, 1);
            assertEquals(1, s.count());
            assertArrayEquals(new int[12 * 7], s.labels());
        }
    }

    @Test
    void componentsAreAtLeastMinSizeAndLabelledInRasterOrder() {
        int w = 40, h = 30;
        SplittableRandom rng = new SplittableRandom(3);
        float[][] noise = new float[3][w * h];
        for (float[] c : noise) for (int i = 0; i < c.length; i++) c[i] = rng.nextInt(256);
        GraphSegmentation g = new GraphSegmentation(noise, w, h, 0);
        Segmentation fine = g.segment(1, 1);
        Segmentation coarse = g.segment(1, 30);
        assertTrue(fine.count() > 100, "noise without a minimum size: many regions, got " + fine.count());
        int[] size = new int[coarse.count()];
        int next = 0;
        for (int l : coarse.labels()) {
            size[l]++;
            assertTrue(l <= next, "labels appear in raster order");
            if (l == next) next++;
        }
        for (int r = 0; r < size.length; r++) assertTrue(size[r] >= 30, "region " + r + " has " + size[r] + " pixels");
        assertTrue(coarse.count() <= w * h / 30);
    }

    @Test
    void componentsAreConnected() {
        int w = 40, h = 30;
        SplittableRandom rng = new SplittableRandom(5);
        float[][] noise = {new float[w * h]};
        for (int i = 0; i < w * h; i++) noise[0][i] = rng.nextInt(4) * 60;
        Segmentation s = new GraphSegmentation(noise, w, h, GraphSegmentation.SIGMA).segment(100, 10);
        // Flood-fill each region from its first pixel over 8-neighbours; it must reach all its pixels.
        int[] labels = s.labels();
        boolean[] seen = new boolean[w * h];
        int[] stack = new int[w * h];
        for (int r = 0, first = 0; r < s.count(); r++) {
            while (labels[first] != r) first++;
            int top = 0, reached = 0;
            stack[top++] = first;
            seen[first] = true;
            while (top > 0) {
                int p = stack[--top];
                reached++;
                for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) {
                    int x = p % w + dx, y = p / w + dy;
                    if (x < 0 || y < 0 || x >= w || y >= h) continue;
                    int q = y * w + x;
                    if (!seen[q] && labels[q] == r) {
                        seen[q] = true;
                        stack[top++] = q;
                    }
                }
            }
            int size = 0;
            for (int l : labels) if (l == r) size++;
            assertEquals(size, reached, "region " + r + " is connected");
        }
    }
}
