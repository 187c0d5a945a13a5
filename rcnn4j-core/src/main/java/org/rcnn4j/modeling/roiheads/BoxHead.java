package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The detection head of Fast R-CNN (§2, Fig. 1): pooled RoI features → fc6 → fc7 → two sibling
 * outputs, softmax logits over K+1 classes and class-specific box deltas (4 per class, background
 * included so that class u's deltas are columns 4u..4u+3).
 *
 * <p>Input (R, C, h, w) pooled features; outputs {@code [class logits (R, K+1), deltas (R, 4(K+1))]}.
 * FPN's head is the same with fc sizes 1024 (FPN §4.2).
 *
 * <p>fc6 and fc7 may each be {@linkplain FactorisedLinear factorised} by truncated SVD (Fast R-CNN §3.1);
 * the child keeps its name ({@code fc6}, {@code fc7}) and holds the two smaller layers. Unfactorised,
 * the children and their parameters are exactly those of the plain head, so saved weights load.
 */
public final class BoxHead extends AbstractBlock implements RegionHead {
    private final Block fc6;
    private final Block fc7;
    private final SiblingOutputs outputs;
    private final int numClasses;

    /**
     * @param fc6        units of fc6 (4096 in VGG16; smaller for CPU backbones)
     * @param fc7        units of fc7
     * @param numClasses K, object classes without background
     */
    public BoxHead(int fc6, int fc7, int numClasses) {
        this(fc6, fc7, numClasses, 0, 0);
    }

    /**
     * @param fc6        units of fc6
     * @param fc7        units of fc7
     * @param numClasses K, object classes without background
     * @param rankFc6    t of fc6's truncated SVD, or 0 for a plain fc6
     * @param rankFc7    t of fc7's truncated SVD, or 0 for a plain fc7
     */
    public BoxHead(int fc6, int fc7, int numClasses, int rankFc6, int rankFc7) {
        super((byte) 1);
        if (rankFc6 < 0 || rankFc7 < 0) throw new IllegalArgumentException("SVD ranks must be ≥ 0: " + rankFc6 + ", " + rankFc7);
        this.numClasses = numClasses;
        this.fc6 = addChildBlock("fc6", fullyConnected(fc6, rankFc6));
        this.fc7 = addChildBlock("fc7", fullyConnected(fc7, rankFc7));
        this.outputs = new SiblingOutputs(numClasses);
        addChildBlock("cls_score", outputs.cls);
        addChildBlock("bbox_pred", outputs.bbox);
    }

    private static Block fullyConnected(int units, int rank) {
        return rank == 0 ? Linear.builder().setUnits(units).build() : new FactorisedLinear(units, rank);
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** fc6: a {@link Linear}, or a {@link FactorisedLinear} when truncated SVD (Fast R-CNN §3.1) compressed it. */
    public Block fc6() {
        return fc6;
    }

    /** fc7: a {@link Linear} or a {@link FactorisedLinear}. */
    public Block fc7() {
        return fc7;
    }

    @Override
    public Linear clsScore() {
        return outputs.cls;
    }

    @Override
    public Linear bboxPred() {
        return outputs.bbox;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        NDArray h = Activation.relu(fc6.forward(ps, new NDList(flat), training).singletonOrThrow());
        h = Activation.relu(fc7.forward(ps, new NDList(h), training).singletonOrThrow());
        return outputs.forward(ps, h, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return outputs.outputShapes(inputs[0].get(0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape flat = new Shape(in.get(0), in.size() / in.get(0));
        fc6.initialize(manager, dataType, flat);
        Shape s6 = fc6.getOutputShapes(new Shape[] {flat})[0];
        fc7.initialize(manager, dataType, s6);
        Shape s7 = fc7.getOutputShapes(new Shape[] {s6})[0];
        outputs.initialize(manager, dataType, s7);
    }
}
