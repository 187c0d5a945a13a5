package org.rcnn4j.pretrain;

import ai.djl.training.tracker.Tracker;
import org.rcnn4j.training.SgdLoop;

/**
 * Learning rate by update number t (1-based, as DJL's optimizers count): linear warm-up
 * {@code base · t / W} for {@code t ≤ W}, then half a cosine from {@code base} at {@code t = W + 1}
 * down to {@code base · FINAL_FRACTION} at {@code t = T} (Goyal et al. 2017 for the warm-up,
 * Loshchilov and Hutter 2017 for the cosine), constant after T.
 */
public final class WarmupCosineSchedule implements Tracker, SgdLoop.Rate {
    /** Where the cosine ends, relative to the peak. */
    public static final float FINAL_FRACTION = 0.01f;

    private final float base;
    private final int warmup;
    private final int total;

    /**
     * @param base   peak learning rate
     * @param warmup warm-up updates W (0 for none)
     * @param total  total updates T, more than W
     */
    public WarmupCosineSchedule(float base, int warmup, int total) {
        if (total <= warmup) throw new IllegalArgumentException("total updates must exceed warm-up");
        this.base = base;
        this.warmup = warmup;
        this.total = total;
    }

    /** The rate of 0-based iteration {@code iteration}: update number {@code iteration + 1}. */
    @Override
    public float at(long iteration) {
        return getNewValue((int) Math.min(Integer.MAX_VALUE, iteration + 1));
    }

    @Override
    public float getNewValue(int numUpdate) {
        int t = Math.max(1, numUpdate);
        if (t <= warmup) return base * t / warmup;
        int span = total - warmup - 1;
        double progress = span == 0 ? 0 : Math.min(1.0, (double) (t - warmup - 1) / span);
        double low = base * FINAL_FRACTION;
        return (float) (low + (base - low) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
