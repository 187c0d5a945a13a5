package org.rcnn4j.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class IntraOpThreadsTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        for (int n : new int[] {0, 1, 15, 16, 17, 1000, 1001}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
            IntraOpThreads.forRanges(n, 16, (from, to) -> {
                assertTrue(0 <= from && from < to && to <= n, "range [" + from + ", " + to + ") of " + n);
                for (int i = from; i < to; i++) seen.incrementAndGet(i);
            });
            for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "index " + i + " of " + n);
        }
    }

    @Test
    void countIsWithinLibtorchsThreadsAndTheCores() {
        int count = IntraOpThreads.count();
        assertTrue(count >= 1 && count <= Runtime.getRuntime().availableProcessors(), "count " + count);
        assertEquals(Math.min(ai.djl.pytorch.jni.JniUtils.getNumThreads(), Runtime.getRuntime().availableProcessors()), count);
    }

    @Test
    void aFailureInAnyRangeReachesTheCaller() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> IntraOpThreads.forRanges(1000, 1, (from, to) -> {
            if (to == 1000) throw new IllegalStateException("last range");
        }));
        assertTrue(String.valueOf(e.getMessage()).contains("last range") || (e.getCause() != null && e.getCause().getMessage().contains("last range")),
                String.valueOf(e));
    }
}
