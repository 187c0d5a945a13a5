package org.rcnn4j.training;

/**
 * Linear warm-up then step decay, the schedule of py-faster-rcnn's solvers and Detectron2's
 * {@code WarmupMultiStepLR}: the rate ramps from {@code base·warmupFactor} to {@code base} over
 * {@code warmupIterations}, then is multiplied by {@code gamma} at each step.
 *
 * @param base             base learning rate (0.001 for VGG16 in py-faster-rcnn; 0.02 at 16 images per batch in Detectron2)
 * @param warmupIterations iterations of the linear ramp (0 for none)
 * @param warmupFactor     the ramp's starting fraction of {@code base}
 * @param steps            iterations at which the rate drops, ascending
 * @param gamma            factor at each step (0.1)
 */
public record LearningRateSchedule(float base, int warmupIterations, float warmupFactor, long[] steps, float gamma) {
    /** The rate for iteration {@code iteration} (0-based). */
    public float at(long iteration) {
        float rate = base;
        for (long s : steps) {
            if (iteration >= s) rate *= gamma;
        }
        if (iteration < warmupIterations) {
            float alpha = (float) iteration / warmupIterations;
            rate *= warmupFactor * (1 - alpha) + alpha;
        }
        return rate;
    }
}
