package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * The {@link BoxHead}'s and the {@link BoxPredictor}'s layers saved as one block: their children in
 * order under one version byte and one input shape. This is the layout of the fused Fast R-CNN head
 * that model directories have always held under {@code box_head} ({@code fc6, fc7, cls_score,
 * bbox_pred}, or {@code c5, cls_score, bbox_pred}), so they load into the two parts unchanged. Only
 * saved, loaded, enumerated and frozen, never run: the region stage runs the parts themselves.
 */
public final class FusedHeadWeights extends AbstractBlock {
    /**
     * @param pooled the head's input shape, (1, C, h, w), recorded as the fused head recorded it
     * @param parts  the head, then the predictor; blocks whose own parameters all sit in children
     */
    public FusedHeadWeights(Shape pooled, Block... parts) {
        super((byte) 1);
        for (Block part : parts) {
            if (!part.getDirectParameters().isEmpty()) {
                throw new IllegalArgumentException(part.getClass().getSimpleName() + " has parameters of its own");
            }
            for (Pair<String, Block> child : part.getChildren()) {
                // BlockList keys carry a two-digit position prefix (01fc6); the child's own name follows.
                addChildBlock(child.getKey().replaceFirst("^\\d\\d", ""), child.getValue());
            }
        }
        inputShapes = new Shape[] {pooled};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("saved weights only: run the box head and the predictor");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        throw new UnsupportedOperationException("saved weights only: run the box head and the predictor");
    }
}
