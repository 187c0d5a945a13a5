package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HierarchicalGroupingTest {
    @Test
    void theMostSimilarNeighboursMergeFirst() {
        // A strip A | B | C of 1, 1 and 10 pixels: by size similarity A and B merge first, then with C.
        RegionDescriptors f = new RegionDescriptors(12, 1, 1, 5);
        float[] one = {1};
        f.add(1, 0, 0, 1, 1, one, one);
        f.add(1, 1, 0, 2, 1, one, one);
        f.add(10, 2, 0, 12, 1, one, one);
        int[] boxes = HierarchicalGrouping.group(f, new int[] {0, 1, 1, 2}, Similarity.S);
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 0, 2, 1, 2, 0, 12, 1, 0, 0, 2, 1, 0, 0, 12, 1}, boxes);
        // By fill, B and C fill their joint box exactly as A and B do; the first queued pair (A, B) wins ties.
    }

    @Test
    void regionsThatNeverTouchAreNotMerged() {
        RegionDescriptors f = new RegionDescriptors(4, 1, 1, 3);
        f.add(1, 0, 0, 1, 1, new float[] {1}, new float[] {1});
        f.add(1, 3, 0, 4, 1, new float[] {1}, new float[] {1});
        assertEquals(8, HierarchicalGrouping.group(f, new int[0], Similarity.CTSF).length);
    }

    @Test
    void aHierarchyOverNRegionsHas2nMinus1BoxesEndingWithTheImage() {
        int w = 48, h = 36;
        SplittableRandom rng = new SplittableRandom(11);
        float[][] planes = new float[3][w * h];
        // Blocks of random colour plus noise: a few dozen initial regions.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) planes[c][y * w + x] = ((x / 8 * 7 + y / 6 * 13 + c * 5) % 9) * 28 + rng.nextInt(10);
            }
        }
        ImageFeatures features = new ImageFeatures(planes, w, h);
        Segmentation s = new GraphSegmentation(planes, w, h, GraphSegmentation.SIGMA).segment(50, 5);
        int n = s.count();
        assertTrue(n > 10, "regions: " + n);
        RegionDescriptors initial = RegionDescriptors.of(features, s);
        for (Similarity strategy : SelectiveSearch.Mode.QUALITY.strategies()) {
            int[] boxes = HierarchicalGrouping.group(initial.copy(2 * n - 1), s.neighbourPairs(), strategy);
            assertEquals(4 * (2 * n - 1), boxes.length, strategy.toString());
            assertArrayEquals(new int[] {0, 0, w, h}, Arrays.copyOfRange(boxes, boxes.length - 4, boxes.length));
            assertArrayEquals(initial.boxes(), Arrays.copyOf(boxes, 4 * n), "initial regions first, unchanged");
            for (int i = 0; i < boxes.length; i += 4) {
                assertTrue(0 <= boxes[i] && boxes[i] < boxes[i + 2] && boxes[i + 2] <= w
                        && 0 <= boxes[i + 1] && boxes[i + 1] < boxes[i + 3] && boxes[i + 3] <= h, "box " + i / 4);
            }
        }
        assertEquals(n, initial.count(), "grouping worked on a copy");
    }
}
