package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Level-mapped pooling equals pooling each RoI alone from the level eq. 1 names, in input order. */
class MultiLevelRoIPoolerTest {
    /** P2..P5 of a 128 × 96 input: 32×24, 16×12, 8×6, 4×3 cells, 3 channels, distinct values. */
    private static List<NDArray> pyramid(NDManager m) {
        List<NDArray> maps = new ArrayList<>();
        for (int k = 2; k <= 5; k++) {
            int h = 96 >> k;
            int w = 128 >> k;
            maps.add(m.arange(0f, 3f * h * w).reshape(1, 3, h, w).mul(m.create(0.01f * k)));
        }
        return maps;
    }

    @Test
    void eachRoiPoolsFromItsLevelInInputOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> maps = pyramid(m);
            RoIAlign align = new RoIAlign(2, 2, 2, true);
            MultiLevelRoIPooler pooler = new MultiLevelRoIPooler(align, new LevelMapper());
            float[] rois = {
                0, 0, 60, 60, // √ = 60 → P2
                10, 10, 130, 90, // √(120·80) = 98 → P2
                8, 8, 128, 96, // √(120·88) = 102.8 → P2
                0, 0, 20, 20, // P2
                0, 0, 128, 100 // √(128·100) = 113.1 → P3
            };
            int[] level = {2, 2, 2, 2, 3};
            NDArray out = pooler.pool(m, maps, rois);
            assertEquals(new Shape(5, 3, 2, 2), out.getShape());
            for (int r = 0; r < 5; r++) {
                float[] one = java.util.Arrays.copyOfRange(rois, 4 * r, 4 * r + 4);
                NDArray expected = align.pool(m, maps.get(level[r] - 2), one, 1f / (1 << level[r]));
                assertArrayEquals(expected.toFloatArray(), out.get(r).toFloatArray(), 1e-6f, "RoI " + r);
            }
        }
    }

    @Test
    void roisOnFourLevelsComeBackInOrderWithGradientsOnEachLevel() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> maps = pyramid(m);
            for (NDArray map : maps) map.setRequiresGradient(true);
            RoIPool max = new RoIPool(2, 2);
            // A mapper with canonical size 16: √ 8 → P3, 4 → P2, 40 → P5, 20 → P4, 6 → P2.
            MultiLevelRoIPooler pooler = new MultiLevelRoIPooler(max, new LevelMapper(2, 5, 16, 4));
            float[] rois = {0, 0, 8, 8, 4, 4, 8, 8, 30, 20, 70, 60, 50, 40, 70, 60, 1, 1, 7, 7};
            int[] level = {3, 2, 5, 4, 2};
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = pooler.pool(m, maps, rois);
                for (int r = 0; r < level.length; r++) {
                    float[] one = java.util.Arrays.copyOfRange(rois, 4 * r, 4 * r + 4);
                    NDArray expected = max.pool(m, maps.get(level[r] - 2), one, 1f / (1 << level[r]));
                    assertArrayEquals(expected.toFloatArray(), out.get(r).toFloatArray(), "RoI " + r);
                }
                gc.backward(out.sum());
            }
            for (int k = 0; k < 4; k++) {
                assertTrue(maps.get(k).getGradient().sum().getFloat() > 0, "P" + (k + 2) + " gets its RoIs' gradient");
            }
        }
    }

    @Test
    void noRoisGiveAnEmptyBatchAndAWrongLevelCountIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> maps = pyramid(m);
            MultiLevelRoIPooler pooler = new MultiLevelRoIPooler(new RoIAlign(), new LevelMapper());
            assertEquals(new Shape(0, 3, 7, 7), pooler.pool(m, maps, new float[0]).getShape());
            assertThrows(IllegalArgumentException.class, () -> pooler.pool(m, maps.subList(0, 3), new float[0]));
            assertEquals(0.25f, pooler.scale(0));
            assertEquals(1f / 32, pooler.scale(3));
        }
    }
}
