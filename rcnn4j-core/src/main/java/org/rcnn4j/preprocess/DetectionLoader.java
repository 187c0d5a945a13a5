package org.rcnn4j.preprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

/**
 * Feeds a detector: decodes a dataset's images, resizes them by Fast R-CNN's rule at a randomly
 * drawn scale, flips at random, applies the config's {@link Augmentation} (crop, colour jitter),
 * and yields normalised, padded {@link DetectionBatch}es.
 *
 * <p>Determinism: the epoch order is a shuffle seeded by (seed, epoch) and each image's scale and
 * flip come from a generator seeded by (seed, epoch, image index), so the batches are identical for
 * a seed whatever the number of decoding threads. The augmentation draws follow the scale and flip
 * draws, so turning it off gives exactly the batches of a build without it. Decoding runs ahead on a small daemon thread pool
 * (about two batches), results are consumed in order.
 *
 * <p>Two ways to iterate: {@link #epoch} visits every image once (the last batch may be smaller);
 * {@link #iterations} runs across epochs for training, a batch possibly straddling two epochs.
 *
 * <p>Bad images: a missing, unreadable or damaged file throws {@link BadInputException} naming the
 * file, or, with {@link LoaderConfig#skipBad()}, is skipped, counted ({@link #skippedImages()}) and
 * the batch is filled with the next image; when a whole epoch's worth of images fails in a row the
 * loader gives up with a {@link BadInputException} naming the dataset. The decoded size must match the record's width and height
 * when the record gives them (else the boxes would not fit the pixels).
 *
 * <p>Close the loader to stop its threads; iterators are single-threaded.
 */
public final class DetectionLoader implements AutoCloseable {
    private static final int MAX_KEPT_MESSAGES = 100;

    private final Dataset dataset;
    private final LoaderConfig config;
    private final List<ImageRecord> images;
    private final AtomicLong skipped = new AtomicLong();
    private final List<String> skippedMessages = Collections.synchronizedList(new ArrayList<>());
    private ExecutorService pool;

    public DetectionLoader(Dataset dataset, LoaderConfig config) {
        this.dataset = dataset;
        this.config = config;
        this.images = dataset.images();
    }

    public LoaderConfig config() {
        return config;
    }

    /** Images per epoch. */
    public int imagesPerEpoch() {
        return images.size();
    }

    /** Batches in one {@link #epoch}: {@code ceil(images / N)} (fewer if images are skipped). */
    public int batchesPerEpoch() {
        return (images.size() + config.batchSize() - 1) / config.batchSize();
    }

    /** One pass over the dataset, in the order {@link #order(int)} gives. */
    public Iterator<DetectionBatch> epoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        long n = images.size();
        return new BatchCursor(this, epoch * n, (epoch + 1) * n, Long.MAX_VALUE);
    }

    /** {@code count} training batches from the very first one: {@code iterations(0, count)}. */
    public Iterator<DetectionBatch> iterations(long count) {
        return iterations(0, count);
    }

    /**
     * Training batches {@code first .. first + count - 1} of the endless stream that runs epoch after
     * epoch (epoch {@code e} in {@link #order(int) order(e)}). Batch {@code b} starts at image position
     * {@code b * N} of that stream, so a resumed run gets the batches it would have had, as long as no
     * image was skipped. Use {@code Long.MAX_VALUE} for an endless iterator.
     *
     * @throws IllegalArgumentException when the dataset has no images
     */
    public Iterator<DetectionBatch> iterations(long first, long count) {
        if (images.isEmpty()) throw new IllegalArgumentException("the dataset has no images to train on");
        if (first < 0 || count < 0) throw new IllegalArgumentException("first and count must be >= 0");
        long start = first > Long.MAX_VALUE / config.batchSize() ? Long.MAX_VALUE : first * config.batchSize();
        return new BatchCursor(this, start, Long.MAX_VALUE, count);
    }

    /**
     * The dataset indices of epoch {@code epoch} in visiting order: a Fisher–Yates shuffle seeded by
     * (seed, epoch) when shuffling, else {@code 0 .. n-1}.
     */
    public int[] order(int epoch) {
        int n = images.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (config.shuffle()) {
            SplittableRandom random = new SplittableRandom(mix(config.seed(), epoch, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * Decodes and transforms dataset image {@code index} as epoch {@code epoch} does: the scale is
     * {@code scales[r.nextInt(len)]} and the flip {@code r.nextDouble() < p} for
     * {@code r = SplittableRandom(mix(seed, epoch, index))}; then the crop and the jitter draw from
     * the same {@code r} ({@link Augmentation}).
     *
     * @throws BadInputException for a missing or damaged file, or a size that contradicts the record
     */
    public PreparedImage load(int epoch, int index) {
        ImageRecord record = images.get(index);
        Path file = dataset.imagePath(record);
        RgbImage decoded = ImageDecoder.decode(file);
        if (record.width() > 0 && record.height() > 0
                && (decoded.width() != record.width() || decoded.height() != record.height())) {
            throw new BadInputException(file, null, "image is " + decoded.width() + "x" + decoded.height()
                    + " pixels but the annotations say " + record.width() + "x" + record.height());
        }
        SplittableRandom random = new SplittableRandom(mix(config.seed(), epoch, index));
        int[] scales = config.scales();
        int scale = scales[random.nextInt(scales.length)];
        boolean flip = random.nextDouble() < config.flipProbability();
        RandomCrop.Cropped window = config.augmentation().apply(decoded, record, random);
        return PreparedImage.prepare(window, record, file, dataset, scale, config.maxSize(), flip);
    }

    /** Images skipped so far because of {@link BadInputException} (only with {@link LoaderConfig#skipBad()}). */
    public long skippedImages() {
        return skipped.get();
    }

    /** The messages of the first skipped images (at most 100), for a log. */
    public List<String> skippedMessages() {
        synchronized (skippedMessages) {
            return List.copyOf(skippedMessages);
        }
    }

    /** Stops the decoding threads; iterators still open afterwards decode on the caller's thread. */
    @Override
    public synchronized void close() {
        if (pool != null) pool.shutdownNow();
        pool = null;
    }

    Dataset dataset() {
        return dataset;
    }

    void recordSkipped(BadInputException e) {
        skipped.incrementAndGet();
        synchronized (skippedMessages) {
            if (skippedMessages.size() < MAX_KEPT_MESSAGES) skippedMessages.add(e.getMessage());
        }
    }

    /** The decoding pool, started on first use; null when decoding runs on the caller's thread. */
    synchronized ExecutorService pool() {
        if (pool == null && config.threads() > 0) {
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(config.threads(), r -> {
                Thread t = new Thread(r, "rcnn4j-decode-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** A 64-bit seed for (seed, epoch, index): SplitMix64's finaliser applied twice. */
    static long mix(long seed, long epoch, long index) {
        long h = mix64(seed + 0x9E3779B97F4A7C15L * (epoch + 1));
        return mix64(h + 0xBF58476D1CE4E5B9L * (index + 2));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
