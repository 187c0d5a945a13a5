package org.rcnn4j.modeling;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time spent in each stage of detection, accumulated over calls (libtorch's CPU ops run
 * eagerly, so a stage's wall time is its cost). Stages are named by the code that laps them and
 * kept in the order they first occur; the detectors use {@code preprocess} (decode excluded:
 * resize, normalise, batch), {@code backbone}, {@code rpn_head}, {@code proposals} (an RPN's
 * decode, clip and NMS in Java, or looking up external proposals), {@code region_features} (RoI
 * pooling, or R-CNN's warp), {@code head} (the box head), {@code predictor} (class scores and box
 * deltas: softmax, or R-CNN's SVMs and box regressors) and {@code postprocess} (class-specific decode,
 * per-class NMS); a new stage is timed by lapping a new name. Not thread-safe: one per measuring
 * thread.
 */
public final class StageTimes {
    private static final StageTimes NONE = new StageTimes(false);
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final boolean enabled;
    private long images;
    private long mark;

    public StageTimes() {
        this(true);
    }

    private StageTimes(boolean enabled) {
        this.enabled = enabled;
    }

    /** A timer that measures nothing, for callers that do not measure. */
    public static StageTimes none() {
        return NONE;
    }

    /** Starts timing the next stage. */
    public void start() {
        if (enabled) mark = System.nanoTime();
    }

    /** Ends the running stage, charging its time to {@code stage}, and starts the next. */
    public void lap(String stage) {
        if (!enabled) return;
        long now = System.nanoTime();
        nanos.merge(stage, now - mark, Long::sum);
        mark = now;
    }

    /** Counts images for per-image figures. */
    public void addImages(long n) {
        images += n;
    }

    public long images() {
        return images;
    }

    /** Milliseconds per image in each stage, in the order the stages first occurred. */
    public Map<String, Double> millisPerImage() {
        Map<String, Double> m = new LinkedHashMap<>();
        nanos.forEach((k, v) -> m.put(k, images == 0 ? 0 : v / 1e6 / images));
        return m;
    }

    /** Total milliseconds per image. */
    public double totalMillisPerImage() {
        long t = 0;
        for (long v : nanos.values()) t += v;
        return images == 0 ? 0 : t / 1e6 / images;
    }
}
