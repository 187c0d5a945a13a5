package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.poolers.RoIAlign;

/**
 * R-CNN's CNN as a box head (Girshick et al. 2014, §2.1 "Feature extraction"): each warped region
 * is a whole input image of the network, which runs its convolutional layers, pools their last map
 * ("pool5"), and its fully connected layers fc6 and fc7. The fc7 vector is the region's feature
 * for the classifiers (§2.3); pool5 is the box regressors' input (Appendix C).
 *
 * <p>The network is the one the CPU backbones are pre-trained as ({@code pretrain} with fc layers):
 * the backbone's stride-16 map, RoIAlign of the whole input window to {@code p × p} (7), flattened
 * channel-major, then fc6 and fc7 with ReLU ({@link TwoMlpHead}). Pre-trained fc6 and fc7 load into
 * it unchanged, as AlexNet's start R-CNN's fine-tuning (§2.3). Every warp has the same size, so the
 * pooling is one fixed linear map of the map's cells, applied to all regions in one matrix product.
 *
 * <p>Input {@code (R, 3, W, W)} warped regions ({@link org.rcnn4j.modeling.poolers.RegionWarp});
 * output {@code [fc7 (R, fc7), pool5 (R, C·p²)]}.
 */
public final class WarpedRegionHead extends AbstractBlock implements BoxHead {
    private final Backbone backbone;
    private final TwoMlpHead mlp;
    private final int poolSize;
    /** (h·w, p²) pooling matrices by map side: column j holds RoIAlign's weights of output cell j. */
    private final Map<Long, float[]> poolingByMapSize = new ConcurrentHashMap<>();

    /**
     * @param backbone the convolutional layers; the head owns them (the detector saves them as its backbone)
     * @param poolSize p, the side of the pooled grid (7, as pre-training's)
     * @param mlp      fc6 and fc7 on the {@code (R, C, p, p)} pooled map
     */
    public WarpedRegionHead(Backbone backbone, int poolSize, TwoMlpHead mlp) {
        super((byte) 1);
        if (poolSize < 1) throw new IllegalArgumentException("poolSize must be positive, got " + poolSize);
        this.backbone = addChildBlock("backbone", backbone);
        this.mlp = addChildBlock("mlp", mlp);
        this.poolSize = poolSize;
    }

    /** The convolutional layers. */
    public Backbone backbone() {
        return backbone;
    }

    /** fc6 and fc7. */
    public TwoMlpHead mlp() {
        return mlp;
    }

    /** p, the side of the pooled grid. */
    public int poolSize() {
        return poolSize;
    }

    /** pool5's length for a backbone of {@code channels} output channels: C·p². */
    public long pool5Size() {
        return (long) backbone.output().channels() * poolSize * poolSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray warped = inputs.singletonOrThrow();
        NDArray map = backbone.features(ps, warped, training);
        NDArray pool5 = poolWholeWindow(map, Math.toIntExact(warped.getShape().get(3)));
        NDArray fc7 = mlp.forward(ps, new NDList(pool5), training).singletonOrThrow();
        return new NDList(fc7, pool5);
    }

    /**
     * RoIAlign of each region's whole window, {@code [0, 0, W, W]} in its input pixels, from the
     * stride-16 map {@code (R, C, h, w)}: {@code (R, C·p²)}, differentiable.
     */
    private NDArray poolWholeWindow(NDArray map, int inputSide) {
        Shape s = map.getShape();
        long r = s.get(0);
        long c = s.get(1);
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        float[] weights = poolingByMapSize.computeIfAbsent(((long) h << 32) | w, k -> poolingMatrix(h, w, inputSide));
        NDArray m = map.getManager().create(weights, new Shape((long) h * w, (long) poolSize * poolSize));
        // (R·C, h·w) × (h·w, p²) → (R·C, p²) → (R, C·p²): channel-major, as pre-training flattened it.
        return map.reshape(r * c, (long) h * w).matMul(m).reshape(r, c * poolSize * poolSize);
    }

    /**
     * RoIAlign's weights, found by pooling a map whose channel j is one at cell j and zero elsewhere:
     * the pooled channel j is then cell j's weight in each output cell.
     */
    private float[] poolingMatrix(int h, int w, int inputSide) {
        int cells = h * w;
        float[] identity = new float[cells * cells];
        for (int j = 0; j < cells; j++) identity[j * cells + j] = 1f;
        int stride = backbone.output().stride();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray map = m.create(identity, new Shape(cells, h, w));
            float[] pooled = new RoIAlign(poolSize, poolSize, 0, true)
                    .pool(m, map, new float[] {0, 0, inputSide, inputSide}, 1f / stride).toFloatArray();
            // pooled is (1, cells, p, p): row j = cell j's weights, already the (h·w, p²) layout.
            return pooled;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long r = inputs[0].get(0);
        long pool5 = pool5Size();
        return new Shape[] {mlp.getOutputShapes(new Shape[] {new Shape(r, pool5)})[0], new Shape(r, pool5)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The backbone arrives initialised (seeded or pre-trained); fc6 and fc7 see the pooled map.
        mlp.initialize(manager, dataType, new Shape(1, backbone.output().channels(), poolSize, poolSize));
    }
}
