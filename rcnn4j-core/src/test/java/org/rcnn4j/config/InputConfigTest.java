package org.rcnn4j.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputConfigTest {
    @Test
    void scaleJitterSpreadsAboutFifteenPercentInStepsOf32AndKeepsTheTestScale() {
        // 0.15 * 416 = 62.4 -> 64; the cap stays ceil(416 * 5 / 3) = 694.
        InputConfig j = InputConfig.single(416).withScaleJitter();
        assertEquals(416, j.shortSide());
        assertArrayEquals(new int[] {352, 416, 480}, j.trainScales());
        assertEquals(694, j.maxSize());
        // 0.15 * 256 = 38.4 -> 32; 0.15 * 800 = 120 -> 128.
        assertArrayEquals(new int[] {224, 256, 288}, InputConfig.single(256).withScaleJitter().trainScales());
        assertArrayEquals(new int[] {672, 800, 928}, InputConfig.single(800).withScaleJitter().trainScales());
    }

    @Test
    void scaleJitterOnASmallScaleStepsAtLeast32AndStaysAbove16() {
        assertArrayEquals(new int[] {32, 64, 96}, InputConfig.single(64).withScaleJitter().trainScales());
        InputConfig tiny = InputConfig.single(32).withScaleJitter();
        assertArrayEquals(new int[] {16, 32, 64}, tiny.trainScales());
        tiny.validate("input");
    }

    @Test
    void scaleJitterKeepsTheCapAndTheRestOfTheConfig() {
        InputConfig in = new InputConfig(416, 1333, new int[] {416}, null, 32, ResizeConvention.TORCHVISION);
        InputConfig j = in.withScaleJitter();
        assertEquals(1333, j.maxSize());
        assertEquals(32, j.sizeDivisibility());
        assertEquals(ResizeConvention.TORCHVISION, j.resize());
    }
}
