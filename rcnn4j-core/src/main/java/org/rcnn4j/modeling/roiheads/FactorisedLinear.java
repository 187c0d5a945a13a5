package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.rcnn4j.linalg.TruncatedSvd;

/**
 * A fully connected layer of u units factorised at rank t by truncated SVD (Fast R-CNN §3.1): a
 * first linear layer of t units without bias (weight Σ_t V_tᵀ, t×v), then a second of u units with
 * the original layer's bias (weight U_t, u×t), no non-linearity between. Input (R, v), output (R, u).
 * Parameters t(v + u) + u against uv + u for the layer it replaces. Its children are named
 * {@code L} and {@code U} (in this order, as py-faster-rcnn's {@code fc6_L}, {@code fc6_U}).
 */
public final class FactorisedLinear extends AbstractBlock {
    private final Linear first;
    private final Linear second;
    private final int units;
    private final int rank;

    /**
     * @param units u, the output units of the layer replaced
     * @param rank  t, the kept rank
     */
    public FactorisedLinear(int units, int rank) {
        super((byte) 1);
        if (rank < 1 || units < 1) throw new IllegalArgumentException("units and rank must be positive: " + units + ", " + rank);
        this.units = units;
        this.rank = rank;
        this.first = addChildBlock("L", Linear.builder().setUnits(rank).optBias(false).build());
        this.second = addChildBlock("U", Linear.builder().setUnits(units).build());
    }

    public int units() {
        return units;
    }

    public int rank() {
        return rank;
    }

    /** The first layer, Σ_t V_tᵀ (t×v), without bias. */
    public Linear first() {
        return first;
    }

    /** The second layer, U_t (u×t), with the original bias. */
    public Linear second() {
        return second;
    }

    /**
     * Sets the initialised block's weights to {@code factors} and the second layer's bias to {@code bias}.
     *
     * @param bias u values, the original layer's bias
     */
    public void setFactors(TruncatedSvd.Factors factors, float[] bias) {
        if (factors.u() != units || factors.t() != rank || bias.length != units) {
            throw new IllegalArgumentException("factors of a " + factors.u() + "-unit layer at rank " + factors.t()
                    + " for a block of " + units + " units at rank " + rank);
        }
        first.getParameters().get("weight").getArray().set(factors.first());
        second.getParameters().get("weight").getArray().set(factors.second());
        second.getParameters().get("bias").getArray().set(bias);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray low = first.forward(ps, inputs, training).singletonOrThrow();
        return second.forward(ps, new NDList(low), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes[0]);
        second.initialize(manager, dataType, first.getOutputShapes(inputShapes)[0]);
    }
}
