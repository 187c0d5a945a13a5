package org.rcnn4j.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Plain-Java work split the way libtorch splits an operation: over as many threads as libtorch's
 * intra-op thread count ({@code RCNN4J_THREADS}, or the CLI's default), so that a stage computed in
 * Java (RoIAlign's sums at inference) uses the cores the native stages use and no more.
 */
public final class IntraOpThreads {
    private IntraOpThreads() {}

    /** A piece of work over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** libtorch's intra-op threads for the calling thread, within the cores this JVM may use. */
    public static int count() {
        ai.djl.engine.Engine.getInstance(); // loads libtorch on first use (a caller may come before any NDArray)
        return Math.max(1, Math.min(ai.djl.pytorch.jni.JniUtils.getNumThreads(), Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into up to {@link #count()} contiguous ranges of at
     * least {@code grain} indices: the calling thread takes the first, the common fork-join pool the
     * others, and the call returns when all are done (rethrowing the first failure).
     */
    public static void forRanges(int n, int grain, Range body) {
        int pieces = Math.min(count(), Math.max(1, n / Math.max(1, grain)));
        if (pieces <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> others = new ArrayList<>(pieces - 1);
        for (int p = 1; p < pieces; p++) {
            int from = bound(n, pieces, p);
            int to = bound(n, pieces, p + 1);
            others.add(ForkJoinPool.commonPool().submit(() -> body.run(from, to)));
        }
        body.run(0, bound(n, pieces, 1));
        for (ForkJoinTask<?> t : others) t.join();
    }

    private static int bound(int n, int pieces, int p) {
        return (int) ((long) n * p / pieces);
    }
}
