package org.rcnn4j.modeling.poolers;

import org.rcnn4j.config.ImagePyramid;

/**
 * Which scale of an image pyramid each RoI is pooled from (SPP-net §3.1 "multi-scale" testing, used
 * by Fast R-CNN §5.2 for its multi-scale results): the scale at which the RoI's area is nearest to
 * {@code canonicalSide²}, 224² in both papers, the input size of the network's ImageNet
 * pre-training, so that pooled features look like those the fully connected layers learnt from.
 *
 * <p>For an RoI of area {@code a} (original-image pixels, continuous convention: {@code (x2 − x1)(y2
 * − y1)}) and pyramid factors {@code f_k} (input pixels per original pixel), the level is
 * {@code argmin_k |a · f_k² − canonicalSide²|}, the first such {@code k} on a tie, as in
 * py-faster-rcnn's {@code _project_im_rois}. Plain Java, stateless, thread-safe.
 */
public final class PyramidScaleMapper {
    /** SPP-net's and Fast R-CNN's target side: 224 pixels, the pre-training input size. */
    public static final int CANONICAL_SIDE = ImagePyramid.CANONICAL_SIDE;

    private final double canonicalArea;

    /** @param canonicalSide the side whose square the scaled RoI area should be nearest (224) */
    public PyramidScaleMapper(int canonicalSide) {
        if (canonicalSide < 1) throw new IllegalArgumentException("canonicalSide must be positive, got " + canonicalSide);
        this.canonicalArea = (double) canonicalSide * canonicalSide;
    }

    /**
     * @param rois    R RoIs, 4R floats, original-image pixels
     * @param factors the pyramid's resize factors (input pixels per original pixel), at least one
     * @return R indices into {@code factors}
     */
    public int[] assign(float[] rois, double[] factors) {
        if (factors.length == 0) throw new IllegalArgumentException("an image pyramid needs at least one scale");
        if (rois.length % 4 != 0) throw new IllegalArgumentException("rois must be R x 4, got length " + rois.length);
        int[] level = new int[rois.length / 4];
        for (int r = 0; r < level.length; r++) {
            double area = (double) Math.max(0f, rois[4 * r + 2] - rois[4 * r]) * Math.max(0f, rois[4 * r + 3] - rois[4 * r + 1]);
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < factors.length; k++) {
                double diff = Math.abs(area * factors[k] * factors[k] - canonicalArea);
                if (diff < best) {
                    best = diff;
                    level[r] = k;
                }
            }
        }
        return level;
    }
}
