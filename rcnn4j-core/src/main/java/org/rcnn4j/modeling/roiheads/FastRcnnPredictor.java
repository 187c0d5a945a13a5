package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Fast R-CNN's two sibling output layers (§2, Fig. 1; torchvision's {@code FastRCNNPredictor}):
 * from per-RoI features {@code (R, D)}, K+1 class logits ({@code cls_score}) and 4(K+1)
 * class-specific box deltas ({@code bbox_pred}). At test the logits become softmax probabilities.
 * Initialised as py-faster-rcnn's new layers: N(0, 0.01) for the scores, N(0, 0.001) for the boxes.
 */
public final class FastRcnnPredictor extends AbstractBlock implements BoxPredictor {
    private final Linear cls;
    private final Linear bbox;
    private final int numClasses;

    /** @param numClasses K, object classes without background */
    public FastRcnnPredictor(int numClasses) {
        super((byte) 1);
        this.numClasses = numClasses;
        cls = addChildBlock("cls_score", Linear.builder().setUnits(numClasses + 1L).build());
        bbox = addChildBlock("bbox_pred", Linear.builder().setUnits(4L * (numClasses + 1)).build());
        cls.setInitializer(new NormalInitializer(0.01f), Parameter.Type.WEIGHT);
        bbox.setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** The classifier, K+1 scores. */
    public Linear clsScore() {
        return cls;
    }

    /** The box regressor, 4(K+1) deltas. */
    public Linear bboxPred() {
        return bbox;
    }

    /** Softmax over the K+1 logits of each row. */
    @Override
    public float[] testScores(NDArray classOutput) {
        return classOutput.softmax(1).toFloatArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList in = new NDList(inputs.singletonOrThrow());
        return new NDList(cls.forward(ps, in, training).singletonOrThrow(), bbox.forward(ps, in, training).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long r = inputs[0].get(0);
        return new Shape[] {new Shape(r, numClasses + 1L), new Shape(r, 4L * (numClasses + 1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        cls.initialize(manager, dataType, inputShapes[0]);
        bbox.initialize(manager, dataType, inputShapes[0]);
    }
}
