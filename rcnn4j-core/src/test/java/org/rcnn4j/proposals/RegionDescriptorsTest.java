package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Initial region features counted from per-pixel bins. */
class RegionDescriptorsTest {
    @Test
    void sizesBoxesAndHistogramsOfTwoRegions() {
        // 12×8, one channel: columns 0..3 black (region 0), columns 4..11 white (region 1).
        int w = 12, h = 8;
        float[][] planes = GraphSegmentationTest.twoHalves(w, h, 4, 255);
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) labels[i] = i % w < 4 ? 0 : 1;
        RegionDescriptors f = RegionDescriptors.of(new ImageFeatures(planes, w, h), new Segmentation(w, h, labels, 2));
        assertEquals(2, f.count());
        assertEquals(32, f.size(0));
        assertEquals(64, f.size(1));
        assertArrayEquals(new int[] {0, 0, 4, 8, 4, 0, 12, 8}, f.boxes());
        // Colour: all of region 0 in bin 0 (value 0), all of region 1 in bin 24 (value 255).
        assertEquals(0, f.colourIntersection(0, 1), 1e-6);
        RegionDescriptors both = f.copy(4);
        float[] bin0 = new float[25], bin24 = new float[25];
        bin0[0] = 1;
        bin24[24] = 1;
        int black = both.add(32, 0, 0, 4, 8, bin0, new float[80]);
        int white = both.add(64, 4, 0, 12, 8, bin24, new float[80]);
        assertEquals(1, both.colourIntersection(0, black), 1e-6);
        assertEquals(1, both.colourIntersection(1, white), 1e-6);
        assertEquals(1, f.textureIntersection(1, 1), 1e-6, "texture histograms are L1-normalised");
    }

    @Test
    void aFlatRegionVotesInTheLowestTextureBinOfEachPositiveDirection() {
        int w = 16, h = 16;
        float[][] planes = {new float[w * h]};
        java.util.Arrays.fill(planes[0], 100);
        RegionDescriptors f = RegionDescriptors.of(new ImageFeatures(planes, w, h), new Segmentation(w, h, new int[w * h], 1));
        // Reference: a quarter in bin 0 of orientations 0°, 45°, 90°, 135° (zero responses count as positive).
        float[] colour = new float[25];
        colour[100 * 25 / 256] = 1;
        float[] texture = new float[80];
        for (int d = 0; d < 4; d++) texture[d * 10] = 0.25f;
        RegionDescriptors both = f.copy(2);
        both.add(w * h, 0, 0, w, h, colour, texture);
        assertEquals(1, both.colourIntersection(0, 1), 1e-6);
        assertEquals(1, both.textureIntersection(0, 1), 1e-6);
    }
}
