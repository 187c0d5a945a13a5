package org.rcnn4j.config;

/**
 * The Region Proposal Network's training and proposal rules (Faster R-CNN §3.1.2–3.3), with
 * py-faster-rcnn's end-to-end values in {@link #fasterRcnn()}. Serialised as {@code rpn}. Change
 * one rule with a {@code with...} method.
 *
 * @param positiveIoU      IoU ≥ this is positive (0.7)
 * @param negativeIoU      IoU below this is negative (0.3)
 * @param batchSize        sampled anchors per image (256)
 * @param positiveFraction up to this fraction positive (0.5)
 * @param preNmsTrain      top-N before NMS in training (12000; per level for FPN)
 * @param postNmsTrain     proposals kept in training (2000)
 * @param preNmsTest       top-N before NMS at test (6000; per level for FPN)
 * @param postNmsTest      proposals kept at test (300)
 * @param nms              proposal NMS IoU (0.7)
 * @param minSize          proposals narrower than this (original-image pixels) are dropped (16)
 * @param boxLossWeight    λ (1, with the mini-batch normalisation)
 * @param smoothL1Beta     1/9 (py-faster-rcnn's sigma = 3)
 * @param nmsPerLevel      with several levels (FPN), whether the proposal NMS runs per level, so that
 *                         boxes of different levels never suppress each other (torchvision and
 *                         Detectron2), or over all levels together (false; a config without it)
 */
public record RpnConfig(float positiveIoU, float negativeIoU, int batchSize, float positiveFraction, int preNmsTrain,
        int postNmsTrain, int preNmsTest, int postNmsTest, float nms, float minSize, float boxLossWeight,
        float smoothL1Beta, boolean nmsPerLevel) {

    /** The rules with one NMS over all levels. */
    public RpnConfig(float positiveIoU, float negativeIoU, int batchSize, float positiveFraction, int preNmsTrain,
            int postNmsTrain, int preNmsTest, int postNmsTest, float nms, float minSize, float boxLossWeight,
            float smoothL1Beta) {
        this(positiveIoU, negativeIoU, batchSize, positiveFraction, preNmsTrain, postNmsTrain, preNmsTest, postNmsTest, nms,
                minSize, boxLossWeight, smoothL1Beta, false);
    }

    /** py-faster-rcnn's end-to-end Faster R-CNN values (Faster R-CNN §3.1.3, §3.3). */
    public static RpnConfig fasterRcnn() {
        return new RpnConfig(0.7f, 0.3f, 256, 0.5f, 12000, 2000, 6000, 300, 0.7f, 16f, 1f, 1f / 9);
    }

    /** The same rules keeping these numbers of proposals before and after NMS, in training and at test. */
    public RpnConfig withProposals(int preTrain, int postTrain, int preTest, int postTest) {
        return new RpnConfig(positiveIoU, negativeIoU, batchSize, positiveFraction, preTrain, postTrain, preTest, postTest,
                nms, minSize, boxLossWeight, smoothL1Beta, nmsPerLevel);
    }

    /** The same rules dropping proposals narrower than {@code pixels} (0: none dropped). */
    public RpnConfig withMinSize(float pixels) {
        return new RpnConfig(positiveIoU, negativeIoU, batchSize, positiveFraction, preNmsTrain, postNmsTrain, preNmsTest,
                postNmsTest, nms, pixels, boxLossWeight, smoothL1Beta, nmsPerLevel);
    }

    /** The same rules with the proposal NMS per level ({@code true}) or over all levels. */
    public RpnConfig withNmsPerLevel(boolean perLevel) {
        return new RpnConfig(positiveIoU, negativeIoU, batchSize, positiveFraction, preNmsTrain, postNmsTrain, preNmsTest,
                postNmsTest, nms, minSize, boxLossWeight, smoothL1Beta, perLevel);
    }

    /**
     * The same rules keeping {@code n} proposals per image at test time ({@code postNmsTest}), with
     * at least as many boxes before NMS; for measuring recall at more proposals than the model was
     * trained to use (FPN Table 1's AR@1000).
     */
    public RpnConfig withTestTopN(int n) {
        return withProposals(preNmsTrain, postNmsTrain, Math.max(preNmsTest, n), n);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code rpn}). */
    public void validate(String prefix) {
        ConfigException.inRange(positiveIoU, 0, 1, false, prefix, "positiveIoU");
        ConfigException.inRange(negativeIoU, 0, positiveIoU, true, prefix, "negativeIoU");
        ConfigException.atLeast(batchSize, 1, prefix, "batchSize");
        ConfigException.inRange(positiveFraction, 0, 1, false, prefix, "positiveFraction");
        ConfigException.atLeast(preNmsTrain, 1, prefix, "preNmsTrain");
        ConfigException.atLeast(postNmsTrain, 1, prefix, "postNmsTrain");
        ConfigException.atLeast(preNmsTest, 1, prefix, "preNmsTest");
        ConfigException.atLeast(postNmsTest, 1, prefix, "postNmsTest");
        ConfigException.inRange(nms, 0, 1, false, prefix, "nms");
        ConfigException.atLeast(minSize, 0, prefix, "minSize");
        ConfigException.atLeast(boxLossWeight, 0, prefix, "boxLossWeight");
        ConfigException.require(smoothL1Beta > 0, ConfigException.path(prefix, "smoothL1Beta"), "must be positive, got " + smoothL1Beta);
    }
}
