package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.rcnn4j.modeling.Intermediates;

/**
 * The building brick of every backbone: a {@code k x k} convolution, then optionally
 * {@link GroupNorm}, then optionally ReLU. Input {@code N x Cin x H x W}, output
 * {@code N x Cout x H' x W'} with {@code H' = floor((H + 2p - k) / s) + 1}; with {@code p = k / 2}
 * (odd k) that is {@code ceil(H / s)}.
 *
 * <p>The convolution has a bias only when no normalisation follows (GroupNorm's β replaces it).
 */
public final class ConvUnit extends AbstractBlock {
    private final Conv2d conv;
    private final GroupNorm norm;
    private final boolean relu;
    private final int channels;

    /**
     * @param channels output channels Cout
     * @param kernel   square kernel side k (odd); padding is {@code k / 2}
     * @param stride   stride s
     * @param norm     whether GroupNorm ({@link GroupNorm#defaultGroups}) follows the convolution
     * @param relu     whether ReLU ends the unit
     */
    public ConvUnit(int channels, int kernel, int stride, boolean norm, boolean relu) {
        if (kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd, got " + kernel);
        this.channels = channels;
        this.relu = relu;
        conv = addChildBlock("conv", Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(channels)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(!norm)
                .build());
        this.norm = norm ? addChildBlock("gn", new GroupNorm(GroupNorm.defaultGroups(channels))) : null;
    }

    /** Output channels Cout. */
    public int channels() {
        return channels;
    }

    /** The GroupNorm after the convolution, or null. */
    GroupNorm norm() {
        return norm;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return Intermediates.keepOnly(inputs, () -> {
            NDList x = conv.forward(store, inputs, training);
            if (norm != null) x = norm.forward(store, x, training);
            if (relu) {
                NDArray y = x.singletonOrThrow();
                x = new NDList(Activation.relu(y));
            }
            return x;
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        if (norm != null) norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
