package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each background family is deterministic, mid-range in luminance, and looks like itself, not like the others. */
class BackgroundFamilyTest {
    private static int[] render(BackgroundFamily f, long seed) {
        return ProceduralBackground.pixels(f.render(new SplittableRandom(seed), 96)).clone();
    }

    @Test
    void sameStreamSameBytesAndMidRangeLuminance() {
        for (BackgroundFamily f : BackgroundFamily.values()) {
            for (long seed = 0; seed < 12; seed++) {
                int[] a = render(f, seed);
                assertArrayEquals(a, render(f, seed), f + " seed " + seed);
                double sum = 0;
                for (int rgb : a) sum += ProceduralBackground.luma(rgb);
                double mean = sum / a.length;
                assertTrue(mean > 40 && mean < 215, f + " seed " + seed + ": mean luma " + mean);
            }
        }
    }

    /**
     * The families differ in kind, measured on the horizontal neighbour differences: a sharp field is
     * mostly flat with hard steps, a smooth one has neither steps nor much texture, a periodic one
     * repeats (its autocorrelation at some lag beyond 4 px comes back up).
     */
    @Test
    void theFamiliesDifferInKind() {
        double sharpSteps = 0, smoothSteps = 0, periodicRebound = 0;
        int n = 20;
        for (long seed = 0; seed < n; seed++) {
            sharpSteps += stepShare(render(BackgroundFamily.SHARP, seed));
            smoothSteps += stepShare(render(BackgroundFamily.SMOOTH, seed));
            periodicRebound += rebound(render(BackgroundFamily.PERIODIC, seed)) ? 1 : 0;
        }
        assertTrue(sharpSteps / n > 3 * smoothSteps / n, "sharp " + sharpSteps / n + " vs smooth " + smoothSteps / n);
        assertTrue(periodicRebound / n >= 0.6, "periodic backgrounds repeat: " + periodicRebound + " of " + n);
    }

    /** Share of horizontal neighbours whose green differs by more than 40 levels (hard edges, strong stripes). */
    private static double stepShare(int[] px) {
        int steps = 0, pairs = 0;
        for (int y = 0; y < 96; y++) {
            for (int x = 1; x < 96; x++) {
                pairs++;
                if (Math.abs(((px[y * 96 + x] >> 8) & 0xFF) - ((px[y * 96 + x - 1] >> 8) & 0xFF)) > 40) steps++;
            }
        }
        return (double) steps / pairs;
    }

    /** Whether the green channel's autocorrelation along rows or columns falls and then rises again by 0.2. */
    private static boolean rebound(int[] px) {
        for (boolean rows : new boolean[] {true, false}) {
            double min = 1;
            for (int lag = 1; lag < 48; lag++) {
                double r = correlation(px, lag, rows);
                min = Math.min(min, r);
                if (lag > 4 && r > min + 0.2) return true;
            }
        }
        return false;
    }

    private static double correlation(int[] px, int lag, boolean rows) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = 0; y < 96 - (rows ? 0 : lag); y++) {
            for (int x = 0; x < 96 - (rows ? lag : 0); x++) {
                double a = (px[y * 96 + x] >> 8) & 0xFF;
                double b = (px[(y + (rows ? 0 : lag)) * 96 + x + (rows ? lag : 0)] >> 8) & 0xFF;
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
                n++;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        double var = Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
        return var == 0 ? 1 : cov / var;
    }

    @Test
    void namesParseAsTheCommandLineGivesThem() {
        assertEquals(BackgroundFamily.all(), BackgroundFamily.parse("varied"));
        assertEquals(List.of(BackgroundFamily.CLASSIC), BackgroundFamily.parse("classic"));
        assertEquals(List.of(BackgroundFamily.SHARP, BackgroundFamily.SMOOTH), BackgroundFamily.parse("sharp, smooth,sharp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackgroundFamily.parse("classic,stripes"));
        assertTrue(e.getMessage().contains("'stripes'") && e.getMessage().contains("periodic"), e.getMessage());
        Set<String> labels = new HashSet<>();
        for (BackgroundFamily f : BackgroundFamily.values()) labels.add(f.label());
        assertEquals(Set.of("classic", "periodic", "aperiodic", "sharp", "smooth"), labels);
        assertFalse(labels.contains("varied"), "varied names the set, not a family");
    }
}
