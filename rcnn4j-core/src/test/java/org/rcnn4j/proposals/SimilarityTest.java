package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The four measures and their sums on hand-computed histograms (Uijlings et al. eq. 1–5). */
class SimilarityTest {
    /** a: 10 px in box (0,0)-(5,2); b: 20 px in box (5,0)-(10,4); image 100 px. */
    static RegionDescriptors twoRegions() {
        RegionDescriptors f = new RegionDescriptors(100, 3, 2, 1);
        f.add(10, 0, 0, 5, 2, new float[] {0.5f, 0.5f, 0}, new float[] {1, 0});
        f.add(20, 5, 0, 10, 4, new float[] {0.2f, 0.3f, 0.5f}, new float[] {0.25f, 0.75f});
        return f;
    }

    @Test
    void measuresMatchHandComputedValues() {
        RegionDescriptors f = twoRegions();
        assertEquals(0.2 + 0.3 + 0, Similarity.colour(f, 0, 1), 1e-6);
        assertEquals(0.25 + 0, Similarity.texture(f, 0, 1), 1e-6);
        assertEquals(1 - 30 / 100.0, Similarity.size(f, 0, 1), 1e-9);
        // Joint box (0,0)-(10,4) = 40 px, of which 30 are the regions' own.
        assertEquals(1 - (40 - 30) / 100.0, Similarity.fill(f, 0, 1), 1e-9);
        assertEquals(0.5 + 0.25 + 0.7 + 0.9, Similarity.CTSF.between(f, 0, 1), 1e-6);
        assertEquals(0.25 + 0.7 + 0.9, Similarity.TSF.between(f, 0, 1), 1e-6);
        assertEquals(0.9, Similarity.F.between(f, 1, 0), 1e-9);
        assertEquals(0.7, Similarity.S.between(f, 1, 0), 1e-9);
        assertEquals(2.0, Similarity.CTSF.between(f, 0, 0) - Similarity.size(f, 0, 0) - Similarity.fill(f, 0, 0), 1e-6,
                "a region is fully similar to itself in colour and texture");
    }

    @Test
    void mergingAveragesHistogramsBySize() {
        RegionDescriptors f = twoRegions();
        int t = f.merge(0, 1);
        assertEquals(2, t);
        assertEquals(30, f.size(t));
        assertArrayEquals(new int[] {0, 0, 10, 4}, java.util.Arrays.copyOfRange(f.boxes(), 8, 12));
        // Colour (10·[.5 .5 0] + 20·[.2 .3 .5]) / 30 = [.3 .3667 .3333]; its intersection with a is .3 + .3667.
        assertEquals(0.3 + 11 / 30.0, Similarity.colour(f, t, 0), 1e-6);
        // Texture (10·[1 0] + 20·[.25 .75]) / 30 = [.5 .5]; with b: .25 + .5.
        assertEquals(0.75, Similarity.texture(f, t, 1), 1e-6);
        assertEquals(1.0, Similarity.colour(f, t, t), 1e-6, "still L1-normalised");
    }

    @Test
    void aStrategyNeedsAMeasure() {
        assertThrows(IllegalArgumentException.class, () -> new Similarity(false, false, false, false));
        assertEquals("C+T+S+F", Similarity.CTSF.toString());
        assertEquals("T+S+F", Similarity.TSF.toString());
    }
}
