package org.rcnn4j.cli.serve;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detection workers and the bounded queue in front of them.
 *
 * <p>A request takes a place ({@link #tryAdmit}) before its body is read, and there are only
 * workers + queue places: the server holds at most that many uploads and decoded images however
 * many clients call, and a request finding no place is answered 503 at once instead of waiting in
 * an unbounded backlog. Admitted requests run on the pool's own {@code workers} threads, not on the
 * HTTP handler threads: libtorch's OpenMP keeps a team of native threads for each thread that calls
 * into it, so a fixed set of callers keeps the process at workers × libtorch threads.
 */
final class DetectionPool implements AutoCloseable {
    /** Weight of the newest detection in the running mean of detection time behind {@code Retry-After}. */
    private static final double MEAN_WEIGHT = 0.2;

    private final int workers;
    private final int queue;
    private final Semaphore places;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger busy = new AtomicInteger();
    /** Running mean of a task's time in nanoseconds, as double bits; 0 before the first. */
    private final AtomicLong meanNanosBits = new AtomicLong(Double.doubleToLongBits(0));

    DetectionPool(int workers, int queue) {
        this.workers = workers;
        this.queue = queue;
        this.places = new Semaphore(workers + queue);
        AtomicInteger count = new AtomicInteger();
        // Unbounded by type, bounded by the places: never more tasks than admitted requests.
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rcnn4j-detect-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes a place for a request; false when workers + queue requests hold them all. Give it back with {@link #leave}. */
    boolean tryAdmit() {
        return places.tryAcquire();
    }

    /** Gives back the place of an admitted request once its answer is sent. */
    void leave() {
        places.release();
    }

    /**
     * Runs {@code task} on a worker, waiting behind the tasks of requests admitted earlier, and
     * returns its result; its exception is rethrown as it is.
     */
    <T> T run(Callable<T> task) throws Exception {
        try {
            return executor.submit(() -> {
                busy.incrementAndGet();
                long start = System.nanoTime();
                try {
                    return task.call();
                } finally {
                    record(System.nanoTime() - start);
                    busy.decrementAndGet();
                }
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    /**
     * Seconds after which a refused client may find a place: the time the workers need to work
     * through every admitted request at the mean detection time so far, at least 1.
     */
    long retryAfterSeconds() {
        double meanSeconds = Double.longBitsToDouble(meanNanosBits.get()) / 1e9;
        return Math.max(1, (long) Math.ceil(meanSeconds * (workers + queue) / workers));
    }

    /** Admitted requests waiting for a worker. */
    int queued() {
        return executor.getQueue().size();
    }

    /** Workers detecting now. */
    int busy() {
        return busy.get();
    }

    int workers() {
        return workers;
    }

    int queueCapacity() {
        return queue;
    }

    private void record(long nanos) {
        meanNanosBits.getAndUpdate(bits -> {
            double mean = Double.longBitsToDouble(bits);
            return Double.doubleToLongBits(mean == 0 ? nanos : mean + MEAN_WEIGHT * (nanos - mean));
        });
    }

    /** Stops the workers; a detection still running is interrupted only at its next wait (libtorch does not check). */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
