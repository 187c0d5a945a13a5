package org.rcnn4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;
import org.rcnn4j.modeling.backbone.PretrainedFc;
import org.rcnn4j.modeling.backbone.SeededNormalInitializer;
import org.rcnn4j.modeling.poolers.RoIAlign;
import org.rcnn4j.modeling.poolers.SpatialPyramidPooling;

/**
 * The pre-training classifier on top of a backbone's stride-16 map, of one of three kinds:
 * <ul>
 *   <li><b>global</b>: average pooling of the {@code (B, C, h, w)} map to {@code (B, C)}, one linear
 *       layer to K scores. Only the backbone is kept.</li>
 *   <li><b>box</b>: RoIAlign of each image's item box to {@code (B, C, p, p)}, then fc6, ReLU, fc7,
 *       ReLU and a linear layer to K scores: the detectors' {@link org.rcnn4j.modeling.roiheads.TwoMlpHead}
 *       with a classifier in place of its two siblings. fc6 and fc7 are kept with the backbone
 *       ({@link PretrainedFc}) and start the detector's head, as Fast R-CNN §2.2 starts its head from
 *       the pre-trained network's fully connected layers.</li>
 *   <li><b>spp</b>: SPP-net's network (§2.3): a spatial pyramid ({@link SpatialPyramidPooling}) over
 *       the whole map as the last pooling layer, {@code (B, C·Σn²)} whatever the image size, then
 *       fc6, ReLU, fc7, ReLU and the linear layer; fc6 and fc7 are kept and start SPP-net's head.</li>
 * </ul>
 *
 * <p>Inputs: {@code [features (B, C, h, w), boxes (B, 4)]}, each box {@code x1 y1 x2 y2} in input
 * pixels (only the box kind reads the boxes). Output: {@code (B, K)} class scores.
 */
final class ClassificationHead extends AbstractBlock {
    private final int poolSize;
    private final int stride;
    private final int fc7Units;
    private final SpatialPyramidPooling spp;
    private final Linear fc6;
    private final Linear fc7;
    private final Linear classifier;

    /** The global kind: average pooling and one linear layer. */
    static ClassificationHead global(int classes) {
        return new ClassificationHead(classes, 0, 0, 0, 0, null);
    }

    /**
     * The box kind.
     *
     * @param poolSize side of the RoIAlign grid (7, as the detectors' heads)
     * @param fc6      units of fc6
     * @param fc7      units of fc7
     * @param stride   input pixels per cell of the backbone's map
     */
    static ClassificationHead box(int classes, int poolSize, int fc6, int fc7, int stride) {
        if (poolSize < 1 || fc6 < 1 || fc7 < 1 || stride < 1) {
            throw new IllegalArgumentException("poolSize, fc6, fc7 and stride must be positive");
        }
        return new ClassificationHead(classes, poolSize, fc6, fc7, stride, null);
    }

    /**
     * The spp kind.
     *
     * @param levels the pyramid's bins per side (SPP-net: 6, 3, 2, 1)
     * @param fc6    units of fc6
     * @param fc7    units of fc7
     */
    static ClassificationHead pyramid(int classes, List<Integer> levels, int fc6, int fc7) {
        if (fc6 < 1 || fc7 < 1) throw new IllegalArgumentException("fc6 and fc7 must be positive");
        return new ClassificationHead(classes, 0, fc6, fc7, 0, new SpatialPyramidPooling(levels));
    }

    /** The head a pre-training config names. */
    static ClassificationHead of(PretrainConfig.Classifier spec, int classes, int stride) {
        if (spec.pyramid()) return pyramid(classes, spec.sppLevels(), spec.fc6(), spec.fc7());
        if (spec.boxHead()) return box(classes, spec.poolSize(), spec.fc6(), spec.fc7(), stride);
        return global(classes);
    }

    private ClassificationHead(int classes, int poolSize, int fc6Units, int fc7Units, int stride, SpatialPyramidPooling spp) {
        this.poolSize = poolSize;
        this.stride = stride;
        this.fc7Units = fc7Units;
        this.spp = spp;
        boolean fc = fc6Units > 0;
        fc6 = fc ? addChildBlock("fc6", Linear.builder().setUnits(fc6Units).build()) : null;
        fc7 = fc ? addChildBlock("fc7", Linear.builder().setUnits(fc7Units).build()) : null;
        classifier = addChildBlock("fc", Linear.builder().setUnits(classes).build());
    }

    /** Whether this is the box or the spp kind, whose fc6 and fc7 outlive pre-training. */
    boolean hasFc() {
        return fc6 != null;
    }

    /**
     * Seeded initial weights: the classifier N(0, 0.01); fc6 and fc7 He-normal (fan-in), as the
     * backbone's layers, so that activations keep their scale through the two layers.
     */
    void initializeWeights(long seed) {
        classifier.setInitializer(SeededNormalInitializer.fixed(SeededNormalInitializer.mix(seed, -1), 0.01), Parameter.Type.WEIGHT);
        if (hasFc()) {
            fc6.setInitializer(SeededNormalInitializer.kaiming(SeededNormalInitializer.mix(seed, -2)), Parameter.Type.WEIGHT);
            fc7.setInitializer(SeededNormalInitializer.kaiming(SeededNormalInitializer.mix(seed, -3)), Parameter.Type.WEIGHT);
        }
    }

    /** The trained fc6 and fc7, for the backbone's weights file; null for the global kind. */
    PretrainedFc pretrainedFc(int channels) {
        if (!hasFc()) return null;
        return spp != null ? PretrainedFc.afterPyramid(fc6, fc7, channels, spp.levels()) : PretrainedFc.of(fc6, fc7, channels, poolSize);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        long batch = x.getShape().get(0);
        if (!hasFc()) {
            NDArray pooled = x.reshape(batch, x.getShape().get(1), -1).mean(new int[] {2});
            return classifier.forward(store, new NDList(pooled), training);
        }
        NDArray flat = spp != null ? spp.poolImages(x.getManager(), x) : poolBoxes(x, inputs.get(1).toFloatArray());
        NDArray h = Activation.relu(fc6.forward(store, new NDList(flat), training).singletonOrThrow());
        h = Activation.relu(fc7.forward(store, new NDList(h), training).singletonOrThrow());
        return classifier.forward(store, new NDList(h), training);
    }

    /** RoIAlign of each image's box: {@code (B, C·p²)}. */
    private NDArray poolBoxes(NDArray x, float[] boxes) {
        long batch = x.getShape().get(0);
        RoIAlign align = new RoIAlign(poolSize, poolSize, 0, true);
        NDManager manager = x.getManager();
        NDList pooled = new NDList();
        for (int b = 0; b < batch; b++) {
            float[] box = Arrays.copyOfRange(boxes, 4 * b, 4 * b + 4);
            pooled.add(align.pool(manager, x.get(b), box, 1f / stride));
        }
        return NDArrays.concat(pooled).reshape(batch, -1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return classifier.getOutputShapes(new Shape[] {new Shape(batch, classifierInputs(inputShapes[0]))});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long batch = in.get(0);
        if (hasFc()) {
            long cells = spp != null ? spp.bins() : (long) poolSize * poolSize;
            Shape flat = new Shape(batch, in.get(1) * cells);
            fc6.initialize(manager, dataType, flat);
            fc7.initialize(manager, dataType, fc6.getOutputShapes(new Shape[] {flat})[0]);
        }
        classifier.initialize(manager, dataType, new Shape(batch, classifierInputs(in)));
    }

    private long classifierInputs(Shape features) {
        return hasFc() ? fc7Units : features.get(1);
    }
}
