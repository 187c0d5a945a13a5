package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.rcnn4j.modeling.Intermediates;
import org.rcnn4j.modeling.backbone.Backbone;

/**
 * The ResNet box head (He et al. 2016, Appendix A; Detectron's C4 models): RoI features pooled from
 * the stride-16 map C4 go through the backbone's conv5_x stage (C5, whose first block halves the
 * side), then global average pooling, giving {@code (R, C5)} for the {@link BoxPredictor}. The paper's
 * reason: conv5_x is the per-region classifier of the pre-trained network, so the head starts from
 * layers that already tell the classes apart, where {@link TwoMlpHead}'s fc6 and fc7 start fresh on a
 * ResNet. The cost is a whole stage per RoI: for resnet18-w0.5 on 7×7 RoIs, about 34 M multiply-adds
 * each, against 3.2 M for fc6 of 512.
 *
 * <p>Input {@code (R, C4, P, P)} pooled features; output {@code (R, C5)}.
 */
public final class C5Head extends AbstractBlock implements BoxHead {
    private final Block c5;

    /**
     * @param c5 a stage of the backbone's C5 architecture, taking the C4 channels; the head owns it
     *           (pass a block no other model holds, e.g. from a new backbone of the same name)
     */
    public C5Head(Block c5) {
        super((byte) 1);
        this.c5 = addChildBlock("c5", c5);
    }

    /**
     * Why a C5 head cannot run on {@code backbone}, or null when it can: its C5 stage must have
     * layers with weights (a ResNet's; zf's and vgg16's C5 is a max pool).
     */
    public static String unsuitable(Backbone backbone) {
        if (!backbone.stageBlock("C5").getParameters().isEmpty()) return null;
        return "the C5 stage of " + backbone.name() + " has no layers with weights";
    }

    /** The conv5_x stage. */
    public Block c5() {
        return c5;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return Intermediates.keepOnly(inputs, () -> {
            NDArray x = c5.forward(ps, inputs, training).singletonOrThrow();
            // Global average pooling; PyTorch's engine in DJL averages over one axis at a time.
            return new NDList(x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}));
        });
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s5 = c5.getOutputShapes(inputs)[0];
        return new Shape[] {new Shape(s5.get(0), s5.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        c5.initialize(manager, dataType, inputShapes);
    }
}
