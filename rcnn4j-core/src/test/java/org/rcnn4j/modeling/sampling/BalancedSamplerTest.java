package org.rcnn4j.modeling.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BalancedSamplerTest {

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    @Test
    void fullBatchIsHalfPositiveForTheRpn() {
        SampledIndices s = BalancedSampler.rpn().sample(range(0, 1000), range(1000, 3000), new Random(1));
        assertEquals(128, s.positives().length);
        assertEquals(128, s.negatives().length);
        assertEquals(256, s.size());
        assertSortedDistinctWithin(s.positives(), 0, 1000);
        assertSortedDistinctWithin(s.negatives(), 1000, 3000);
    }

    @Test
    void roiBatchTakesAQuarterForeground() {
        BalancedSampler sampler = new BalancedSampler(128, 0.25);
        assertEquals(32, sampler.maxPositives());
        SampledIndices s = sampler.sample(range(0, 100), range(100, 1000), new SplittableRandom(3));
        assertEquals(32, s.positives().length);
        assertEquals(96, s.negatives().length);
        // The quota is floor(batch × fraction): 5 × 0.5 = 2.5 -> 2.
        assertEquals(2, new BalancedSampler(5, 0.5).maxPositives());
    }

    @Test
    void fewPositivesArePaddedWithNegatives() {
        SampledIndices s = BalancedSampler.rpn().sample(new int[] {7, 3, 5}, range(100, 1100), new Random(2));
        assertArrayEquals(new int[] {3, 5, 7}, s.positives()); // all taken, sorted
        assertEquals(253, s.negatives().length);
    }

    @Test
    void shortOfBothTakesEverythingAndNothingMore() {
        SampledIndices s = BalancedSampler.rpn().sample(range(0, 200), range(200, 230), new Random(2));
        // Positives stay at the quota even though the batch is not full.
        assertEquals(128, s.positives().length);
        assertArrayEquals(range(200, 230), s.negatives());
    }

    @Test
    void noPositivesNoNegativesOrNothing() {
        BalancedSampler sampler = BalancedSampler.rpn();
        SampledIndices onlyNeg = sampler.sample(new int[0], range(0, 500), new Random(4));
        assertEquals(0, onlyNeg.positives().length);
        assertEquals(256, onlyNeg.negatives().length);
        SampledIndices onlyPos = sampler.sample(range(0, 500), new int[0], new Random(4));
        assertEquals(128, onlyPos.positives().length);
        assertEquals(0, onlyPos.negatives().length);
        assertEquals(0, sampler.sample(new int[0], new int[0], new Random(4)).size());
        assertEquals(0, new BalancedSampler(0, 0.5).sample(range(0, 5), range(5, 9), new Random(4)).size());
    }

    @Test
    void sameSeedSameBatchDifferentSeedDifferentBatch() {
        BalancedSampler sampler = BalancedSampler.rpn();
        SampledIndices a = sampler.sample(range(0, 1000), range(1000, 5000), new Random(42));
        SampledIndices b = sampler.sample(range(0, 1000), range(1000, 5000), new Random(42));
        SampledIndices c = sampler.sample(range(0, 1000), range(1000, 5000), new Random(43));
        assertArrayEquals(a.positives(), b.positives());
        assertArrayEquals(a.negatives(), b.negatives());
        assertFalse(Arrays.equals(a.positives(), c.positives()));
        SampledIndices d = sampler.sample(range(0, 1000), range(1000, 5000), new SplittableRandom(42));
        SampledIndices e = sampler.sample(range(0, 1000), range(1000, 5000), new SplittableRandom(42));
        assertArrayEquals(d.negatives(), e.negatives());
    }

    @Test
    void everyCandidateIsEquallyLikely() {
        // 4000 draws of 2 positives out of 8: each is chosen 4000 × 2 / 8 = 1000 times in expectation,
        // standard deviation sqrt(4000 × 0.25 × 0.75) ≈ 27; a biased shuffle would be far off.
        BalancedSampler sampler = new BalancedSampler(4, 0.5);
        int[] counts = new int[8];
        Random random = new Random(5);
        for (int t = 0; t < 4000; t++) {
            for (int i : sampler.sample(range(0, 8), new int[0], random).positives()) {
                counts[i]++;
            }
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 1000) < 150, "count " + c + " in " + Arrays.toString(counts));
        }
    }

    @Test
    void samplesFromAMatchAndNeverTakesIgnored() {
        int[] matches = {0, Matcher.IGNORE, Matcher.BACKGROUND, 1, Matcher.IGNORE, Matcher.BACKGROUND};
        MatchResult match = new MatchResult(matches, new float[6]);
        SampledIndices s = new BalancedSampler(10, 0.5).sample(match, new Random(6));
        assertArrayEquals(new int[] {0, 3}, s.positives());
        assertArrayEquals(new int[] {2, 5}, s.negatives());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new BalancedSampler(-1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new BalancedSampler(256, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new BalancedSampler(256, Double.NaN));
    }

    private static void assertSortedDistinctWithin(int[] idx, int from, int to) {
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < idx.length; k++) {
            assertTrue(idx[k] >= from && idx[k] < to, "index " + idx[k] + " outside [" + from + ", " + to + ")");
            assertTrue(k == 0 || idx[k - 1] < idx[k], "not ascending");
            assertTrue(seen.add(idx[k]));
        }
    }
}
