package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The checked dimensions of one {@link RoIPooler#pool} call: channels C, height H, width W and
 * RoI count R.
 */
record PoolingInput(int channels, int height, int width, int roiCount) {

    /** Checks the arguments of {@link RoIPooler#pool} and reads their dimensions. */
    static PoolingInput check(NDArray features, float[] rois, float spatialScale) {
        Shape shape = features.getShape();
        int dims = shape.dimension();
        if (!(dims == 3 || (dims == 4 && shape.get(0) == 1))) {
            throw new IllegalArgumentException(
                    "features must be (C, H, W) or (1, C, H, W), got " + shape);
        }
        if (rois.length % 4 != 0) {
            throw new IllegalArgumentException("rois.length must be a multiple of 4, got " + rois.length);
        }
        for (int i = 0; i < rois.length; i++) {
            if (!Float.isFinite(rois[i])) {
                throw new IllegalArgumentException("rois[" + i + "] is not finite: " + rois[i]);
            }
        }
        if (!(spatialScale > 0 && Float.isFinite(spatialScale))) {
            throw new IllegalArgumentException("spatialScale must be positive and finite, got " + spatialScale);
        }
        int offset = dims - 3;
        return new PoolingInput(
                Math.toIntExact(shape.get(offset)),
                Math.toIntExact(shape.get(offset + 1)),
                Math.toIntExact(shape.get(offset + 2)),
                rois.length / 4);
    }

    /** Cells of one channel, {@code H·W}. */
    int area() {
        return height * width;
    }

    static void checkGrid(int outputHeight, int outputWidth) {
        if (outputHeight < 1 || outputWidth < 1) {
            throw new IllegalArgumentException(
                    "output grid must be at least 1x1, got " + outputHeight + "x" + outputWidth);
        }
    }
}
