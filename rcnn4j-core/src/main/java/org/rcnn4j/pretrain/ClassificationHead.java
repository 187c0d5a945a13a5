package org.rcnn4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The pre-training classifier on top of a backbone: global average pooling of the
 * {@code N x C x h x w} stride-16 map to {@code N x C}, then one linear layer to {@code N x K}
 * class scores. Dropped after pre-training; only the backbone is kept.
 */
final class ClassificationHead extends AbstractBlock {
    private final Linear linear;

    ClassificationHead(int classes) {
        linear = addChildBlock("fc", Linear.builder().setUnits(classes).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray pooled = x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
        return linear.forward(store, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return linear.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1)));
    }
}
