package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SegmentationTest {
    @Test
    void neighbourPairsFollowTheEightNeighbourhood() {
        // 0 0 1
        // 2 3 3      0-1 right, 0-2 down and up-right, 0-3 down and down-right, 1-3 down, 2-3 right; 1 and 2 never touch.
        Segmentation s = new Segmentation(3, 2, new int[] {0, 0, 1, 2, 3, 3}, 4);
        assertArrayEquals(new int[] {0, 1, 0, 2, 0, 3, 1, 3, 2, 3}, s.neighbourPairs());
    }

    @Test
    void diagonalContactMakesNeighbours() {
        // 0 1
        // 1 2        0 and 2 touch only at a corner.
        assertArrayEquals(new int[] {0, 1, 0, 2, 1, 2}, new Segmentation(2, 2, new int[] {0, 1, 1, 2}, 3).neighbourPairs());
        assertArrayEquals(new int[0], new Segmentation(2, 1, new int[] {0, 0}, 1).neighbourPairs());
    }

    @Test
    void labelsOutsideTheRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Segmentation(2, 1, new int[] {0, 2}, 2));
        assertThrows(IllegalArgumentException.class, () -> new Segmentation(2, 2, new int[] {0, 0}, 1));
    }
}
