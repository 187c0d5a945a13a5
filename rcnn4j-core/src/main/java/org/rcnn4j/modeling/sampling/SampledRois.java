package org.rcnn4j.modeling.sampling;

import org.rcnn4j.box.Boxes;

/**
 * The detection head's training RoIs for one image, from {@link RoiTargets#sampleRois}: S RoIs,
 * foreground first, then background. The arrays are shared, not copied: treat them as read-only.
 *
 * <p>Regression targets are class-agnostic rows; the box loss takes, for foreground RoI s, the
 * class-specific prediction of class {@code labels[s]} (Fast R-CNN §2.3: {@code L_loc(t^u, v)} for the
 * true class u, and only for u ≥ 1).
 *
 * @param rois              S boxes, 4S floats, continuous convention, input-image pixels
 * @param labels            S class labels: 1..K for foreground, 0 for background
 * @param regressionTargets S×4 deltas from each foreground RoI to its matched ground-truth box,
 *                          encoded by the configured {@link org.rcnn4j.box.BoxCoder}; zeros for
 *                          background
 * @param matchedGt         S ground-truth indices for foreground RoIs, -1 for background
 * @param foregroundCount   how many of the S RoIs (the first ones) are foreground
 */
public record SampledRois(float[] rois, int[] labels, float[] regressionTargets, int[] matchedGt,
        int foregroundCount) {

    /** Checks that every array describes the same S RoIs. */
    public SampledRois {
        int s = Boxes.count(rois);
        if (labels.length != s || regressionTargets.length != 4 * s || matchedGt.length != s
                || foregroundCount < 0 || foregroundCount > s) {
            throw new IllegalArgumentException("inconsistent sampled RoIs for S = " + s);
        }
    }

    /** The number S of sampled RoIs. */
    public int size() {
        return labels.length;
    }
}
