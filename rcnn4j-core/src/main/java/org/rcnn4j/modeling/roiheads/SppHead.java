package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SPP-net's fully connected layers (He et al. 2014, §4.1 "Detection Algorithm"): a window's
 * spatial-pyramid-pooled conv features ({@link org.rcnn4j.modeling.poolers.SpatialPyramidPooling},
 * {@code (R, C, B, 1)} with B = 50 bins), flattened channel-major, through fc6 and fc7 with ReLU
 * ({@link TwoMlpHead}). The fc7 vector is what the class SVMs score; the pooled vector itself passes
 * through as the box regressors' input (the paper regresses from the pooled conv5 features, as
 * R-CNN does from pool5).
 *
 * <p>Input {@code (R, C, B, 1)}; output {@code [fc7 (R, fc7), pooled (R, C·B)]}, the layout
 * {@link RcnnPredictor} reads.
 */
public final class SppHead extends AbstractBlock implements BoxHead {
    private final TwoMlpHead mlp;

    /** @param mlp fc6 and fc7 on the flattened pyramid */
    public SppHead(TwoMlpHead mlp) {
        super((byte) 1);
        this.mlp = addChildBlock("mlp", mlp);
    }

    /** fc6 and fc7. */
    public TwoMlpHead mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray pooled = inputs.singletonOrThrow();
        Shape s = pooled.getShape();
        // Explicit sizes: with R = 0 windows a -1 dimension cannot be inferred.
        NDArray flat = pooled.reshape(s.get(0), s.get(1) * s.get(2) * s.get(3));
        NDArray fc7 = mlp.forward(ps, new NDList(flat), training).singletonOrThrow();
        return new NDList(fc7, flat);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long features = in.get(1) * in.get(2) * in.get(3);
        Shape flat = new Shape(in.get(0), features);
        return new Shape[] {mlp.getOutputShapes(new Shape[] {flat})[0], flat};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        mlp.initialize(manager, dataType, new Shape(in.get(0), in.get(1) * in.get(2) * in.get(3)));
    }
}
