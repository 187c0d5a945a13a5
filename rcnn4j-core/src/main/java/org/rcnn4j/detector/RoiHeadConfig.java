package org.rcnn4j.detector;

/**
 * A detector config with a Fast R-CNN RoI head ({@link FasterRcnnConfig.Roi}: RoI sampling, pooling,
 * fc6/fc7 and their truncated SVD ranks). Models of such configs expose the head as the
 * {@code box_head} block ({@link org.rcnn4j.modeling.roiheads.BoxHead}), which
 * {@link SvdCompression} compresses.
 */
public interface RoiHeadConfig extends DetectorConfig {
    /** The RoI head's section. */
    FasterRcnnConfig.Roi roi();

    /** The same config with another RoI head section. */
    RoiHeadConfig withRoi(FasterRcnnConfig.Roi roi);
}
