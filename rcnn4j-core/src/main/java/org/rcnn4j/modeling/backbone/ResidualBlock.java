package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.modeling.Autograd;
import org.rcnn4j.modeling.Intermediates;

/**
 * A ResNet block (He et al. 2016): {@code y = relu(F(x) + shortcut(x))}, where F is a short chain of
 * {@link ConvUnit}s whose last unit has no ReLU, and the shortcut is the identity or, when the
 * stride or the channel count changes, a 1 x 1 convolution with stride s plus GroupNorm ("option B").
 *
 * <p>The last GroupNorm of F starts with γ = 0, so each block starts as the identity (Goyal et al.
 * 2017, §5.1, "zero γ"): deep residual nets then train from scratch at a normal learning rate.
 *
 * <p>Without normalisation ({@code norm} false) each unit is a convolution with bias: the form of a
 * network whose frozen BatchNorm (an affine per channel) has been folded into the convolution
 * before it, as imported torchvision weights are.
 */
public final class ResidualBlock extends AbstractBlock {
    private final List<ConvUnit> branch = new ArrayList<>();
    private final ConvUnit shortcut;

    private ResidualBlock(List<ConvUnit> units, ConvUnit shortcut) {
        for (int i = 0; i < units.size(); i++) branch.add(addChildBlock("conv" + (i + 1), units.get(i)));
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
        GroupNorm last = units.get(units.size() - 1).norm();
        if (last != null) last.gamma().setInitializer(Initializer.ZEROS);
    }

    /**
     * The basic block of ResNet-18/34: 3 x 3 (stride s) and 3 x 3, both {@code out} channels.
     *
     * @param in  input channels, to decide whether the shortcut projects
     */
    public static ResidualBlock basic(int in, int out, int stride) {
        return new ResidualBlock(List.of(
                new ConvUnit(out, 3, stride, true, true),
                new ConvUnit(out, 3, 1, true, false)), projection(in, out, stride, true));
    }

    /**
     * The bottleneck block of ResNet-50: 1 x 1 to {@code mid}, 3 x 3 with stride s (the stride on the
     * 3 x 3, as torchvision and Detectron place it), 1 x 1 to {@code out = 4 mid}.
     *
     * @param norm GroupNorm after each convolution, or none (convolutions with bias)
     */
    public static ResidualBlock bottleneck(int in, int mid, int out, int stride, boolean norm) {
        return new ResidualBlock(List.of(
                new ConvUnit(mid, 1, 1, norm, true),
                new ConvUnit(mid, 3, stride, norm, true),
                new ConvUnit(out, 1, 1, norm, false)), projection(in, out, stride, norm));
    }

    private static ConvUnit projection(int in, int out, int stride, boolean norm) {
        return in == out && stride == 1 ? null : new ConvUnit(out, 1, stride, norm, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return Intermediates.keepOnly(inputs, () -> {
            // At inference each map is freed as soon as nothing reads it, and the sum is made in
            // place, as PyTorch's block does: the block's scope alone would keep every unit's output
            // until the block returns, 2 to 3 extra maps of the block's width at once (at stride 4
            // and 1066 x 800 input, 55 MB each; issue 19).
            boolean inference = !Autograd.isRecording();
            NDList x = inputs;
            for (ConvUnit unit : branch) {
                NDList next = unit.forward(store, x, training);
                if (inference && x != inputs) x.close();
                x = next;
            }
            NDArray residual = x.singletonOrThrow();
            NDArray identity = shortcut == null ? inputs.singletonOrThrow() : shortcut.forward(store, inputs, training).singletonOrThrow();
            if (!inference) return new NDList(Activation.relu(residual.add(identity)));
            residual.addi(identity);
            if (shortcut != null) identity.close();
            NDArray out = Activation.relu(residual);
            residual.close();
            return new NDList(out);
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (ConvUnit unit : branch) shapes = unit.getOutputShapes(shapes);
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (ConvUnit unit : branch) {
            unit.initialize(manager, dataType, shapes);
            shapes = unit.getOutputShapes(shapes);
        }
        if (shortcut != null) shortcut.initialize(manager, dataType, inputShapes);
    }
}
