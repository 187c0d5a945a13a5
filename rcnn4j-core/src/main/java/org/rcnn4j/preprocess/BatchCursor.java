package org.rcnn4j.preprocess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.rcnn4j.io.BadInputException;

/**
 * Walks image positions {@code [start, end)} of a {@link DetectionLoader}'s stream (position
 * {@code p} is slot {@code p mod n} of epoch {@code p / n}) and groups the decoded images into
 * batches, with decoding submitted ahead to the loader's pool.
 *
 * <p>Each position is a {@link FutureTask}: the pool may run it, and the consumer also calls
 * {@code run()} before {@code get()}, which is a no-op when the task already ran or is running and
 * otherwise decodes on the consumer's thread (no pool, or a closed one). Results are taken strictly
 * in position order, so the batches do not depend on which thread decoded what.
 */
final class BatchCursor implements Iterator<DetectionBatch> {
    private final DetectionLoader loader;
    private final int n;
    private final int batchSize;
    private final int window;
    private final long end;
    private long nextPosition;
    private long batchesLeft;
    /** Images still to deliver: no decoding is started beyond what the remaining batches need. */
    private long imagesWanted;
    private final ArrayDeque<FutureTask<PreparedImage>> pending = new ArrayDeque<>();
    private int orderEpoch = -1;
    private int[] order;
    private DetectionBatch buffered;
    private int consecutiveFailures;

    BatchCursor(DetectionLoader loader, long start, long end, long maxBatches) {
        this.loader = loader;
        this.n = loader.imagesPerEpoch();
        this.batchSize = loader.config().batchSize();
        this.window = 2 * batchSize + loader.config().threads();
        this.nextPosition = start;
        this.end = end;
        this.batchesLeft = maxBatches;
        this.imagesWanted = maxBatches > Long.MAX_VALUE / batchSize ? Long.MAX_VALUE : maxBatches * batchSize;
    }

    @Override
    public boolean hasNext() {
        if (buffered == null && batchesLeft > 0) buffered = nextBatch();
        return buffered != null;
    }

    @Override
    public DetectionBatch next() {
        if (!hasNext()) throw new NoSuchElementException();
        DetectionBatch batch = buffered;
        buffered = null;
        batchesLeft--;
        return batch;
    }

    /** Up to N successfully loaded images from the stream as a batch, or null when it is exhausted. */
    private DetectionBatch nextBatch() {
        List<PreparedImage> images = new ArrayList<>(batchSize);
        while (images.size() < batchSize) {
            fill();
            FutureTask<PreparedImage> task = pending.poll();
            if (task == null) break;
            PreparedImage image = take(task);
            if (image != null) images.add(image);
        }
        fill();
        if (images.isEmpty()) return null;
        LoaderConfig c = loader.config();
        return DetectionBatch.assemble(images, c.normalize(), c.sizeDivisibility());
    }

    private void fill() {
        ExecutorService pool = loader.pool();
        while (pending.size() < Math.min(window, imagesWanted) && nextPosition < end && n > 0) {
            int epoch = (int) (nextPosition / n);
            int slot = (int) (nextPosition % n);
            if (epoch != orderEpoch) {
                order = loader.order(epoch);
                orderEpoch = epoch;
            }
            int index = order[slot];
            FutureTask<PreparedImage> task = new FutureTask<>(() -> loader.load(epoch, index));
            if (pool != null) {
                try {
                    pool.execute(task);
                } catch (RejectedExecutionException closed) {
                    // The loader was closed: the consumer runs the task itself in take().
                }
            }
            pending.add(task);
            nextPosition++;
        }
    }

    /** The task's image, or null when it was skipped as bad input. */
    private PreparedImage take(FutureTask<PreparedImage> task) {
        task.run();
        try {
            PreparedImage image = task.get();
            consecutiveFailures = 0;
            imagesWanted--;
            return image;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BadInputException bad && loader.config().skipBad()) {
                loader.recordSkipped(bad);
                // An endless stream over a dataset whose images all fail would never end: stop after a whole epoch.
                if (++consecutiveFailures >= n) {
                    throw new BadInputException(loader.dataset().source(), null, "none of the " + n
                            + " images could be loaded; last error: " + bad.getMessage(), bad);
                }
                return null;
            }
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }
}
