package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max pooling over {@code k x k} windows with stride s and padding p. An input side n gives
 * {@code floor((n + 2p - k) / s) + 1} cells in floor mode, {@code ceil((n + 2p - k) / s) + 1} in
 * ceil mode (less one when the last window would start in the right padding, libtorch's rule).
 * The backbones here use {@code k = 2, s = 2, p = 0} in ceil mode (VGG16's pools, as Caffe ran
 * them) and {@code k = 3, s = 2, p = 1} in floor mode (ResNet, ZF); both give {@code ceil(n / 2)},
 * so every backbone's stride-16 map is exactly {@code ceil(n / 16)} cells per side.
 *
 * <p>The shape is computed without running the pool (DJL's lambda pool blocks infer shapes by
 * pooling an array of zeros of the full input size).
 */
public final class MaxPool extends AbstractBlock {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;

    /** A {@code kernel x kernel} max pool with the given stride and padding, in ceil or floor mode. */
    public MaxPool(int kernel, int stride, int padding, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    /** Output side for an input side {@code n}, as libtorch computes it. */
    long outputSide(long n) {
        long span = n + 2L * padding - kernel;
        if (!ceilMode) return Math.floorDiv(span, stride) + 1;
        long out = Math.floorDiv(span + stride - 1, stride) + 1;
        if ((out - 1) * stride >= n + padding) out--;
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(Pool.maxPool2d(inputs.singletonOrThrow(),
                new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding), ceilMode));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), outputSide(s.get(2)), outputSide(s.get(3)))};
    }
}
