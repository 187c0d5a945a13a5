package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** FPN eq. 1, k = ⌊4 + log2(√(wh) / 224)⌋ clamped to [2, 5], by hand at and around its boundaries. */
class LevelMapperTest {
    private final LevelMapper mapper = new LevelMapper();

    @Test
    void boundariesLandOnTheUpperLevel() {
        // √(wh) = 112: log2(0.5) = -1 → 3; 224: 0 → 4; 448: 1 → 5.
        assertEquals(3, mapper.level(112, 112));
        assertEquals(4, mapper.level(224, 224));
        assertEquals(5, mapper.level(448, 448));
        // Non-square boxes with the same √(wh): 56 × 224 has √ = 112, 112 × 448 has √ = 224.
        assertEquals(3, mapper.level(56, 224));
        assertEquals(4, mapper.level(448, 112));
        assertEquals(5, mapper.level(224, 896));
    }

    @Test
    void justBelowABoundaryStaysOneLevelFiner() {
        // √(111.99²) = 111.99 < 112: log2 < -1 → ⌊3.9999⌋ = 2 (not 3).
        assertEquals(2, mapper.level(111.99, 111.99));
        assertEquals(3, mapper.level(112.01, 112.01));
        assertEquals(3, mapper.level(223.99, 223.99));
        assertEquals(4, mapper.level(224.01, 224.01));
        assertEquals(4, mapper.level(447.99, 447.99));
        // 112 × 111.9: √ = 111.95 → 2.
        assertEquals(2, mapper.level(112, 111.9));
    }

    @Test
    void clampsToP2AndP5() {
        // √ = 8: 4 + log2(8/224) = 4 - 4.81 = -0.81 → clamped to 2; a 0-area box too.
        assertEquals(2, mapper.level(8, 8));
        assertEquals(2, mapper.level(0, 50));
        assertEquals(2, mapper.level(-5, 50));
        // √ = 56: 4 - 2 = 2 exactly; √ = 55.9 → 1 → clamped to 2.
        assertEquals(2, mapper.level(56, 56));
        assertEquals(2, mapper.level(55.9, 55.9));
        // √ = 896: 4 + 2 = 6 → clamped to 5; infinite and NaN go to the coarsest.
        assertEquals(5, mapper.level(896, 896));
        assertEquals(5, mapper.level(5000, 5000));
        assertEquals(5, mapper.level(Double.POSITIVE_INFINITY, 10));
        assertEquals(5, mapper.level(Double.NaN, 10));
    }

    @Test
    void levelIndicesOfBoxesCountFromTheFinestLevel() {
        float[] rois = {
            10, 10, 122, 122, // 112² → P3 → index 1
            0, 0, 20, 20, // 20² → P2 → 0
            5, 5, 453, 453, // 448² → P5 → 3
            0, 0, 224, 224 // 224² → P4 → 2
        };
        assertArrayEquals(new int[] {1, 0, 3, 2}, mapper.levelIndices(rois));
        assertArrayEquals(new int[0], mapper.levelIndices(new float[0]));
    }

    @Test
    void aCanonicalSizeOf56ShiftsEveryBoundaryTwoLevelsDown() {
        LevelMapper small = new LevelMapper(2, 5, 56, 4);
        assertEquals(4, small.level(56, 56));
        assertEquals(3, small.level(28, 28));
        assertEquals(2, small.level(27.9, 27.9));
        assertEquals(5, small.level(112, 112));
        assertEquals(4, small.levels());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new LevelMapper(5, 2, 224, 4));
        assertThrows(IllegalArgumentException.class, () -> new LevelMapper(2, 5, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new LevelMapper(2, 5, Double.NaN, 4));
    }
}
