package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The region stage's first step (Detectron2's {@code ROIPooler}): pools one image's regions from a
 * batch's feature maps into a fixed-size grid each. One shared map for Fast and Faster R-CNN
 * ({@link #singleMap}), the pyramid's P2..P5 for FPN ({@link MultiLevelRoIPooler}); SPP-net's spatial
 * pyramid pooling and R-CNN's warp of image regions are poolers of the same shape. The region stage
 * asks for one image at a time, so that each image costs one pooling call per map, never one per
 * RoI (bench/results/roi_pooling.md).
 */
public interface RegionPooler {
    /**
     * Pools image {@code image}'s regions.
     *
     * @param maps  the batch's maps, each {@code (N, C, H_l, W_l)}, finest first; the pooler reads
     *              those it was built for
     * @param image the image's index in the batch
     * @param rois  R RoIs, 4R floats, x1 y1 x2 y2 in continuous input-image pixels; R = 0 is allowed
     * @return {@code (R, C, outH, outW)}, in RoI order, differentiable with respect to the maps and
     *         in their manager
     */
    NDArray pool(List<NDArray> maps, int image, float[] rois);

    /** Side of the output grid (7 for Fast R-CNN's 7×7); its rows for a grid that is not square. */
    int outputSize();

    /** Columns of the output grid: {@link #outputSize()} for a square one, 1 for SPP's column of bins. */
    default int outputWidth() {
        return outputSize();
    }

    /**
     * RoI pooling by {@code pooler} on the first map, of stride {@code 1 / spatialScale}.
     *
     * @param spatialScale map cells per input pixel (1/16 for a stride-16 map)
     */
    static RegionPooler singleMap(RoIPooler pooler, float spatialScale) {
        return new RegionPooler() {
            @Override
            public NDArray pool(List<NDArray> maps, int image, float[] rois) {
                NDArray map = maps.get(0);
                return pooler.pool(map.getManager(), map.get(image), rois, spatialScale);
            }

            @Override
            public int outputSize() {
                return pooler.outputHeight();
            }

            @Override
            public int outputWidth() {
                return pooler.outputWidth();
            }
        };
    }
}
