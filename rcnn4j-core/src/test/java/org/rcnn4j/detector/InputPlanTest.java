package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;

class InputPlanTest {
    /** Ten 128x128 images, each with one square object of the given side. */
    static Dataset squares(int... sides) {
        List<ImageRecord> images = new ArrayList<>();
        for (int i = 0; i < sides.length; i++) {
            images.add(new ImageRecord(i + 1, "i" + i, "i.png", 128, 128,
                    List.of(Annotation.of(i + 1, 1, 0, 0, sides[i], sides[i]))));
        }
        return new Dataset(Path.of("d"), List.of(), List.of(new Category(1, "a")), images);
    }

    @Test
    void smallObjectsAreScaledUpAndAnchorsCoverTheSizes() {
        // 10th percentile side 10 -> upscale 32/10 = 3.2 -> 128 * 3.2 = 409.6 -> 416 (a multiple of 32).
        // Scale 416/128 = 3.25: sides 32.5 .. 195 -> anchors 2^5 .. 2^8.
        InputPlan p = InputPlan.of(squares(10, 10, 20, 20, 30, 30, 40, 40, 60, 60));
        assertEquals(416, p.shortSide());
        assertEquals(694, p.maxSize());
        assertArrayEquals(new float[] {32, 64, 128, 256}, p.anchorSizes());
    }

    @Test
    void fasterRcnnsPlanTrainsWithScaleJitterAboutThePlannedScale() {
        Dataset data = squares(10, 10, 20, 20, 30, 30, 40, 40, 60, 60);
        FasterRcnnConfig c = FasterRcnnConfig.planned("tiny", data);
        assertEquals(416, c.input().shortSide());
        assertArrayEquals(new int[] {352, 416, 480}, c.input().trainScales());
        assertArrayEquals(new float[] {32, 64, 128, 256}, c.anchors().sizes());
        assertEquals(c, FasterRcnn.KIND.plan("tiny", data));
    }

    @Test
    void fpnsAndFastRcnnsPlansTrainWithScaleJitterToo() {
        Dataset data = squares(10, 10, 20, 20, 30, 30, 40, 40, 60, 60);
        // FPN: small objects to 20 pixels -> 128 * 2 = 256, jitter 32; Fast R-CNN: to 40 -> 512, jitter 64.
        // FPN and Faster R-CNN test at the planned scale.
        FpnConfig fpn = (FpnConfig) Fpn.KIND.plan("tiny", data);
        assertEquals(256, fpn.input().shortSide());
        assertArrayEquals(new int[] {224, 256, 288}, fpn.input().trainScales());
        FastRcnnConfig fast = (FastRcnnConfig) FastRcnn.KIND.plan("tiny", data);
        assertArrayEquals(new int[] {448, 512, 576}, fast.input().trainScales());
        assertEquals(576, fast.input().shortSide(), "Fast R-CNN tests at the largest training scale");
        assertArrayEquals(new int[] {576}, fast.testPyramid().testScales());
        assertEquals(960, fast.input().maxSize());
    }

    @Test
    void largeObjectsKeepTheImageSizeAndUpscaleIsCapped() {
        InputPlan large = InputPlan.of(squares(60, 60, 70, 70, 80, 80, 90, 90, 100, 100));
        assertEquals(128, large.shortSide());
        assertArrayEquals(new float[] {32, 64, 128}, large.anchorSizes());
        // Side 2 would need 16x: capped at 4x.
        assertEquals(512, InputPlan.of(squares(2, 2, 2, 2, 2, 2, 2, 2, 2, 2)).shortSide());
    }

    @Test
    void aWideRangeWidensTheStepBeyondSixSizes() {
        // Sides 1..128 at 4x: 8 (clamped from 4) .. 512 -> 2^3 .. 2^9 = 7 sizes -> step 2.
        InputPlan p = InputPlan.of(squares(1, 1, 2, 4, 8, 16, 32, 64, 128, 128));
        assertEquals(512, p.shortSide());
        assertArrayEquals(new float[] {8, 32, 128, 512}, p.anchorSizes());
    }

    @Test
    void noObjectsGivesThePapersValues() {
        Dataset empty = new Dataset(Path.of("d"), List.of(), List.of(new Category(1, "a")),
                List.of(new ImageRecord(1, "e", "e.png", 500, 375, List.of())));
        InputPlan p = InputPlan.of(empty);
        assertEquals(600, p.shortSide());
        assertArrayEquals(new float[] {128, 256, 512}, p.anchorSizes());
    }
}
