package org.rcnn4j.modeling.roiheads;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.rcnn4j.modeling.Intermediates;
import org.rcnn4j.modeling.backbone.PretrainedFc;

/**
 * Fast R-CNN's fully connected layers (§2, Fig. 1; torchvision's {@code TwoMLPHead}): pooled RoI
 * features {@code (R, C, h, w)}, flattened channel-major, → fc6 → ReLU → fc7 → ReLU, giving
 * {@code (R, fc7)}. FPN's head is the same with 1024 units (FPN §4.2).
 *
 * <p>fc6 and fc7 may each be {@linkplain FactorisedLinear factorised} by truncated SVD (Fast R-CNN §3.1);
 * the child keeps its name ({@code fc6}, {@code fc7}) and holds the two smaller layers. Unfactorised,
 * the children and their parameters are exactly those of the plain head, so saved weights load.
 */
public final class TwoMlpHead extends AbstractBlock implements BoxHead {
    private final Block fc6;
    private final Block fc7;

    /**
     * @param fc6 units of fc6 (4096 in VGG16; smaller for CPU backbones)
     * @param fc7 units of fc7
     */
    public TwoMlpHead(int fc6, int fc7) {
        this(fc6, fc7, 0, 0);
    }

    /**
     * @param fc6     units of fc6
     * @param fc7     units of fc7
     * @param rankFc6 t of fc6's truncated SVD, or 0 for a plain fc6
     * @param rankFc7 t of fc7's truncated SVD, or 0 for a plain fc7
     */
    public TwoMlpHead(int fc6, int fc7, int rankFc6, int rankFc7) {
        super((byte) 1);
        if (rankFc6 < 0 || rankFc7 < 0) throw new IllegalArgumentException("SVD ranks must be ≥ 0: " + rankFc6 + ", " + rankFc7);
        this.fc6 = addChildBlock("fc6", fullyConnected(fc6, rankFc6));
        this.fc7 = addChildBlock("fc7", fullyConnected(fc7, rankFc7));
    }

    private static Block fullyConnected(int units, int rank) {
        return rank == 0 ? Linear.builder().setUnits(units).build() : new FactorisedLinear(units, rank);
    }

    /** fc6: a {@link Linear}, or a {@link FactorisedLinear} when truncated SVD (Fast R-CNN §3.1) compressed it. */
    public Block fc6() {
        return fc6;
    }

    /** fc7: a {@link Linear} or a {@link FactorisedLinear}. */
    public Block fc7() {
        return fc7;
    }

    /**
     * Replaces fc6 and fc7 with layers kept from pre-training (Fast R-CNN §2.2 starts its head from
     * the pre-trained network); this head must be initialised, plain (not factorised) and of the
     * stored layers' shape ({@link PretrainedFc#mismatch} null).
     *
     * @throws IllegalArgumentException when the head does not match or the stream is damaged
     */
    public void loadPretrained(PretrainedFc stored, NDManager manager) {
        if (!(fc6 instanceof Linear l6) || !(fc7 instanceof Linear l7)) {
            throw new IllegalArgumentException("pre-trained fc6/fc7 load into plain layers only, not truncated-SVD ones");
        }
        long inputs = l6.getParameters().get("weight").getShape().get(1);
        long expected = (long) stored.channels() * stored.cellsPerChannel();
        if (inputs != expected || units(l6) != stored.fc6() || units(l7) != stored.fc7()) {
            throw new IllegalArgumentException("the head's fc6/fc7 are " + units(l6) + "-" + units(l7) + " on " + inputs
                    + " inputs, the pre-trained ones " + stored.fc6() + "-" + stored.fc7() + " on " + expected);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored.parameters()))) {
            l6.loadParameters(manager, in);
            l7.loadParameters(manager, in);
            if (in.available() != 0) throw new IllegalArgumentException(in.available() + " bytes left after fc7's parameters");
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("damaged fc6/fc7 parameters: " + e.getMessage(), e);
        }
        checkShape(l6, stored.fc6(), expected);
        checkShape(l7, stored.fc7(), stored.fc6());
    }

    private static void checkShape(Block layer, long units, long inputs) {
        Parameter weight = layer.getParameters().get("weight");
        if (!weight.getArray().getShape().equals(new Shape(units, inputs))) {
            throw new IllegalArgumentException("fc weight of shape " + weight.getArray().getShape() + ", expected (" + units + ", " + inputs + ")");
        }
        // Loading replaces the arrays; training needs their gradients back.
        for (Parameter p : layer.getParameters().values()) {
            if (p.requiresGradient()) p.getArray().setRequiresGradient(true);
        }
    }

    private static int units(Linear layer) {
        return Math.toIntExact(layer.getParameters().get("weight").getShape().get(0));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return Intermediates.keepOnly(inputs, () -> {
            NDArray flat = flatten(x);
            NDArray h = Activation.relu(fc6.forward(ps, new NDList(flat), training).singletonOrThrow());
            return new NDList(Activation.relu(fc7.forward(ps, new NDList(h), training).singletonOrThrow()));
        });
    }

    /** {@code R x C x k x k} to {@code R x Ck²}; explicit sizes, since with R = 0 a -1 cannot be inferred. */
    private static NDArray flatten(NDArray x) {
        Shape s = x.getShape();
        long features = 1;
        for (int d = 1; d < s.dimension(); d++) features *= s.get(d);
        return x.reshape(s.get(0), features);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        Shape flat = new Shape(in.get(0), in.size() / in.get(0));
        return fc7.getOutputShapes(fc6.getOutputShapes(new Shape[] {flat}));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape flat = new Shape(in.get(0), in.size() / in.get(0));
        fc6.initialize(manager, dataType, flat);
        fc7.initialize(manager, dataType, fc6.getOutputShapes(new Shape[] {flat})[0]);
    }
}
