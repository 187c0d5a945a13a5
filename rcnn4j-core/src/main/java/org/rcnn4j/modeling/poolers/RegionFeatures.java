package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;

/**
 * The region features of one batch: pools the RoIs of one image from the batch's feature maps,
 * whatever their number (one shared map for Fast/Faster R-CNN, the pyramid P2..P5 for FPN). Built
 * per batch, once the maps are computed; the RoI head asks for one image at a time so that each
 * image costs one pooling call per map (DESIGN.md, "Performance habits").
 */
@FunctionalInterface
public interface RegionFeatures {
    /**
     * Pools image {@code image}'s RoIs.
     *
     * @param image the image's index in the batch
     * @param rois  R RoIs, 4R floats, x1 y1 x2 y2 in continuous input-image pixels; R = 0 is allowed
     * @return {@code (R, C, outH, outW)}, in RoI order, differentiable with respect to the maps
     */
    NDArray pool(int image, float[] rois);

    /**
     * RoI pooling on one shared map of stride {@code 1 / spatialScale}.
     *
     * @param features (N, C, H, W) the batch's map; the pooled arrays join its manager
     */
    static RegionFeatures singleMap(RoIPooler pooler, NDArray features, float spatialScale) {
        return (image, rois) -> pooler.pool(features.getManager(), features.get(image), rois, spatialScale);
    }
}
