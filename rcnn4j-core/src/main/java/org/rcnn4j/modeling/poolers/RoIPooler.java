package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Pools a fixed-size feature grid for each region of interest of one image.
 *
 * <p>Detectors call {@link #pool} once per image with all of that image's RoIs, never once per RoI:
 * a composition of many small native calls per RoI was several times slower than the backbone
 * (bench/results/roi_pooling.md, 2026-11-23, commit 28d8f5a).
 */
public interface RoIPooler {

    /**
     * Pools every RoI of one image.
     *
     * @param manager      the manager the result is attached to, and the arrays its backward pass
     *                     reads (gather indices, weights): they must outlive the backward, so use a
     *                     per-iteration or per-request manager
     * @param features     one image's feature map, {@code (C, H, W)} or {@code (1, C, H, W)},
     *                     float32 or float64; may require a gradient
     * @param rois         R RoIs as a flat {@code float[4R]}, each {@code x1 y1 x2 y2} in continuous
     *                     input-image pixels; R = 0 is allowed
     * @param spatialScale feature-map cells per input pixel, {@code 1 / stride} (1/16 for a
     *                     stride-16 map)
     * @return {@code (R, C, outputHeight, outputWidth)} in the features' data type, attached to
     *         {@code manager} and differentiable with respect to {@code features}
     * @throws IllegalArgumentException if the map is not 3- or 4-dimensional with batch 1, if
     *         {@code rois.length} is not a multiple of 4 or holds a non-finite value, or if
     *         {@code spatialScale} is not a positive finite number
     */
    NDArray pool(NDManager manager, NDArray features, float[] rois, float spatialScale);

    /** The side of the output grid: 7 for Fast R-CNN's 7×7; the height for a non-square grid. */
    default int outputSize() {
        return outputHeight();
    }

    /** Rows of the output grid ({@code outH}). */
    int outputHeight();

    /** Columns of the output grid ({@code outW}). */
    int outputWidth();
}
