package org.rcnn4j.modeling.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.rcnn4j.modeling.Intermediates;

/**
 * The RPN's layers (Faster R-CNN §3.1): a 3×3 conv sliding over the shared map, then two sibling
 * 1×1 convs, one scoring objectness for each of the A anchors of a position and one regressing
 * their 4 box deltas. One logit per anchor (sigmoid), as torchvision, rather than the paper's 2
 * (softmax): the two are equivalent and one halves the layer.
 *
 * <p>Input (N, C, H, W); outputs {@code [logits (N, A, H, W), deltas (N, 4A, H, W)]}; the deltas of
 * anchor a are channels 4a..4a+3. The same head serves every FPN level.
 */
public final class RpnHead extends AbstractBlock {
    private final Conv2d conv;
    private final Conv2d cls;
    private final Conv2d bbox;
    private final int anchors;

    /**
     * @param channels      channels of the 3×3 conv (the paper uses the map's own: 256 for ZF, 512 for VGG)
     * @param anchorsPerCell A, anchors per position (9 for Faster R-CNN, 3 per FPN level)
     */
    public RpnHead(int channels, int anchorsPerCell) {
        super((byte) 1);
        this.anchors = anchorsPerCell;
        conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(channels).build());
        cls = addChildBlock("cls_logits", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(anchorsPerCell).build());
        bbox = addChildBlock("bbox_pred", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4 * anchorsPerCell).build());
        // Faster R-CNN §3.1.3: new layers drawn from a zero-mean Gaussian with standard deviation 0.01.
        setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
    }

    public int anchorsPerCell() {
        return anchors;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return Intermediates.keepOnly(inputs, () -> {
            NDArray t = Activation.relu(conv.forward(ps, inputs, training).singletonOrThrow());
            NDList shared = new NDList(t);
            return new NDList(cls.forward(ps, shared, training).singletonOrThrow(),
                    bbox.forward(ps, shared, training).singletonOrThrow());
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {
            new Shape(in.get(0), anchors, in.get(2), in.get(3)), new Shape(in.get(0), 4L * anchors, in.get(2), in.get(3))
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        Shape[] hidden = conv.getOutputShapes(inputShapes);
        cls.initialize(manager, dataType, hidden);
        bbox.initialize(manager, dataType, hidden);
    }
}
