package org.rcnn4j.modeling.poolers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The 224² rule of SPP-net / Fast R-CNN multi-scale testing, on hand-computed cases. */
class PyramidScaleMapperTest {
    private final PyramidScaleMapper mapper = new PyramidScaleMapper(224);

    @Test
    void eachRoiGoesToTheScaleWhereItsAreaIsNearest224Squared() {
        // 224² = 50176. Factors 1 and 2 (scaled area a and 4a):
        //   224×224, a = 50176: |50176 − 50176| = 0  vs |200704 − 50176| = 150528 → 0
        //   112×112, a = 12544: |12544 − 50176| = 37632 vs |50176 − 50176| = 0 → 1
        //   150×150, a = 22500: |22500 − 50176| = 27676 vs |90000 − 50176| = 39824 → 0
        //   120×100, a = 12000: 38176 vs |48000 − 50176| = 2176 → 1
        float[] rois = {0, 0, 224, 224, 10, 10, 122, 122, 5, 5, 155, 155, 0, 0, 120, 100};
        assertArrayEquals(new int[] {0, 1, 0, 1}, mapper.assign(rois, new double[] {1, 2}));
    }

    @Test
    void thePapersFiveScalesOnA500x375Image() {
        // s ∈ {480, 576, 688, 864, 1200}, factor s / 375: 1.28, 1.536, 1.83467, 2.304, 3.2.
        // A 100×100 RoI (a = 10000) scales to 16384, 23593, 33661, 53084, 102400:
        // distances to 50176: 33792, 26583, 16515, 2908, 52224 → scale 3 (864).
        // A 300×200 RoI (a = 60000) scales to 98304, ... → distances 48128, 91381, ... → scale 0 (480).
        // A 20×20 RoI (a = 400) scales at most to 4096 → the largest scale, 4 (1200).
        double[] f = {480 / 375.0, 576 / 375.0, 688 / 375.0, 864 / 375.0, 1200 / 375.0};
        float[] rois = {0, 0, 100, 100, 100, 100, 400, 300, 30, 40, 50, 60};
        assertArrayEquals(new int[] {3, 0, 4}, mapper.assign(rois, f));
    }

    @Test
    void tiesGoToTheFirstScaleAndDegenerateBoxesToo() {
        // canonical 10² = 100, factors 1 and 3: a 4×5 RoI (a = 20) is 80 away at both (20 and 180).
        PyramidScaleMapper small = new PyramidScaleMapper(10);
        assertArrayEquals(new int[] {0, 0, 0}, small.assign(new float[] {0, 0, 4, 5, 3, 3, 3, 3, 5, 5, 1, 1},
                new double[] {1, 3}));
        assertArrayEquals(new int[0], mapper.assign(new float[0], new double[] {1, 2}));
        assertArrayEquals(new int[] {0}, mapper.assign(new float[] {0, 0, 1000, 1000}, new double[] {0.5}));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> mapper.assign(new float[4], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> mapper.assign(new float[3], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PyramidScaleMapper(0));
    }
}
