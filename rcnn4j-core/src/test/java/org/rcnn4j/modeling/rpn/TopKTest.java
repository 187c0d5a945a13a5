package org.rcnn4j.modeling.rpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rcnn4j.modeling.rpn.TopK;

class TopKTest {

    /** The obviously-correct reference: sort every non-NaN index by (score desc, index asc), take k. */
    private static int[] slow(float[] scores, int from, int to, int k) {
        Integer[] idx = IntStream.range(from, to).filter(i -> !Float.isNaN(scores[i])).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, (a, b) -> {
            float sa = scores[a] + 0f;
            float sb = scores[b] + 0f;
            return sa != sb ? Float.compare(sb, sa) : Integer.compare(a, b);
        });
        return Arrays.stream(idx).limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void handCase() {
        float[] s = {0.1f, 0.9f, Float.NaN, 0.5f, 0.9f, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        assertArrayEquals(new int[] {8, 1, 4}, TopK.indices(s, 0, s.length, 3));
        // -0.0 and 0.0 are equal: lower index first. NaN is never chosen, even when k exceeds the rest.
        assertArrayEquals(new int[] {8, 1, 4, 3, 0, 5, 6, 7}, TopK.indices(s, 0, s.length, 100));
        assertArrayEquals(new int[] {4, 3}, TopK.indices(s, 2, 6, 2));
        assertArrayEquals(new int[0], TopK.indices(s, 0, s.length, 0));
        assertArrayEquals(new int[0], TopK.indices(s, 3, 3, 5));
    }

    @Test
    void matchesAFullSortOnRandomScoresWithManyTies() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(300);
            float[] s = new float[n];
            int distinct = 1 + rnd.nextInt(20); // few distinct values: ties everywhere
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(10) == 0 ? Float.NaN : rnd.nextInt(distinct) - distinct / 2f;
            }
            int k = rnd.nextInt(n + 2);
            int from = rnd.nextInt(n);
            int to = from + rnd.nextInt(n - from + 1);
            assertArrayEquals(slow(s, from, to, k), TopK.indices(s, from, to, k), "trial " + trial);
        }
    }
}
