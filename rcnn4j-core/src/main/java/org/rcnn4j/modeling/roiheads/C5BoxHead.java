package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.rcnn4j.modeling.backbone.Backbone;

/**
 * The ResNet detection head (He et al. 2016, Appendix A; Detectron's C4 models): RoI features
 * pooled from the stride-16 map C4 go through the backbone's conv5_x stage (C5, whose first block
 * halves the side), global average pooling, and Fast R-CNN's two sibling outputs. The paper's
 * reason: conv5_x is the per-region classifier of the pre-trained network, so the head starts from
 * layers that already tell the classes apart, where {@link BoxHead}'s fc6 and fc7 start fresh on a
 * ResNet. The cost is a whole stage per RoI: for resnet18-w0.5 on 7×7 RoIs, about 34 M multiply-adds
 * each, against 3.2 M for fc6 of 512.
 *
 * <p>Input {@code (R, C4, P, P)} pooled features; outputs {@code [class logits (R, K+1), deltas (R, 4(K+1))]}.
 */
public final class C5BoxHead extends AbstractBlock implements RegionHead {
    private final Block c5;
    private final SiblingOutputs outputs;
    private final int numClasses;

    /**
     * @param c5         a stage of the backbone's C5 architecture, taking the C4 channels; the head owns it
     *                   (pass a block no other model holds, e.g. from a new backbone of the same name)
     * @param numClasses K, object classes without background
     */
    public C5BoxHead(Block c5, int numClasses) {
        super((byte) 1);
        this.numClasses = numClasses;
        this.c5 = addChildBlock("c5", c5);
        this.outputs = new SiblingOutputs(numClasses);
        addChildBlock("cls_score", outputs.cls);
        addChildBlock("bbox_pred", outputs.bbox);
    }

    /**
     * Why a C5 head cannot run on {@code backbone}, or null when it can: its C5 stage must have
     * layers with weights (a ResNet's; zf's and vgg16's C5 is a max pool).
     */
    public static String unsuitable(Backbone backbone) {
        if (!backbone.stageBlock("C5").getParameters().isEmpty()) return null;
        return "the C5 stage of " + backbone.name() + " has no layers with weights";
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public Linear clsScore() {
        return outputs.cls;
    }

    @Override
    public Linear bboxPred() {
        return outputs.bbox;
    }

    /** The conv5_x stage. */
    public Block c5() {
        return c5;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = c5.forward(ps, inputs, training).singletonOrThrow();
        // Global average pooling; PyTorch's engine in DJL averages over one axis at a time.
        NDArray pooled = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
        return outputs.forward(ps, pooled, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return outputs.outputShapes(inputs[0].get(0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        c5.initialize(manager, dataType, inputShapes);
        Shape s5 = c5.getOutputShapes(inputShapes)[0];
        outputs.initialize(manager, dataType, new Shape(s5.get(0), s5.get(1)));
    }
}
