package org.rcnn4j.modeling.neck;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.modeling.Intermediates;
import org.rcnn4j.modeling.backbone.FeatureSpec;
import org.rcnn4j.modeling.backbone.SeededNormalInitializer;

/**
 * The Feature Pyramid Network's top-down pathway with lateral connections (Lin et al. 2017, §3,
 * Fig. 3): a 1×1 convolution reduces each bottom-up map C2..C5 to d channels; starting from the
 * coarsest, the running map is upsampled ×2 by nearest neighbour and added element-wise to the next
 * finer lateral; a 3×3 convolution on each merged map ("to reduce the aliasing effect of
 * upsampling") gives P2..P5, all with d channels (256 in the paper) and the strides of C2..C5.
 * P6, for the RPN's 512² anchors only (§4.1), is P5 subsampled with stride 2. No normalisation and
 * no non-linearity (§3: "there are no non-linearities in these extra layers").
 *
 * <p>Input {@code [C2, C3, C4, C5]}, each {@code (N, C_i, H_i, W_i)} with
 * {@code H_{i+1} = ceil(H_i / 2)}; output {@code [P2, P3, P4, P5, P6]}, {@code (N, d, H_i, W_i)},
 * P6 {@code (N, d, ceil(H_5 / 2), ceil(W_5 / 2))}. When a finer map has an odd side, the upsampled
 * coarser map is one cell too long and is cropped to it.
 */
public final class FeaturePyramid extends AbstractBlock {
    private static final byte VERSION = 1;

    private final List<FeatureSpec> inputs;
    private final int channels;
    private final List<Conv2d> laterals = new ArrayList<>();
    private final List<Conv2d> outputs = new ArrayList<>();

    /**
     * @param inputs   specs of C2..C5 (channels and strides), finest first, strides doubling
     * @param channels d, the channels of every P level (256 in the paper)
     */
    public FeaturePyramid(List<FeatureSpec> inputs, int channels) {
        super(VERSION);
        if (inputs.isEmpty()) throw new IllegalArgumentException("a pyramid needs at least one input map");
        for (int i = 1; i < inputs.size(); i++) {
            if (inputs.get(i).stride() != 2 * inputs.get(i - 1).stride()) {
                throw new IllegalArgumentException("input strides must double level to level: " + inputs);
            }
        }
        if (channels < 1) throw new IllegalArgumentException("channels must be positive, got " + channels);
        this.inputs = List.copyOf(inputs);
        this.channels = channels;
        for (FeatureSpec in : inputs) {
            int level = Integer.numberOfTrailingZeros(in.stride());
            laterals.add(addChildBlock("lateral" + level, Conv2d.builder().setKernelShape(new Shape(1, 1))
                    .setFilters(channels).build()));
            outputs.add(addChildBlock("output" + level, Conv2d.builder().setKernelShape(new Shape(3, 3))
                    .optPadding(new Shape(1, 1)).setFilters(channels).build()));
        }
    }

    /** d, the channels of every output level. */
    public int channels() {
        return channels;
    }

    /** The outputs P2..P6: d channels each, strides of the inputs and then twice the coarsest. */
    public List<FeatureSpec> outputSpecs() {
        List<FeatureSpec> out = new ArrayList<>();
        for (FeatureSpec in : inputs) {
            out.add(new FeatureSpec("P" + Integer.numberOfTrailingZeros(in.stride()), channels, in.stride()));
        }
        int top = 2 * inputs.get(inputs.size() - 1).stride();
        out.add(new FeatureSpec("P" + Integer.numberOfTrailingZeros(top), channels, top));
        return out;
    }

    /**
     * Initialises the weights from {@code seed}: zero-mean Gaussians of standard deviation
     * {@code √(1 / fanIn)} (Detectron's "c2_xavier_fill" scale: unit gain, as no ReLU follows),
     * biases 0. Arrays are created in {@code manager}.
     */
    public void initialize(NDManager manager, long seed) {
        for (int i = 0; i < inputs.size(); i++) {
            laterals.get(i).setInitializer(SeededNormalInitializer.fixed(SeededNormalInitializer.mix(seed, 2L * i),
                    Math.sqrt(1.0 / inputs.get(i).channels())), Parameter.Type.WEIGHT);
            outputs.get(i).setInitializer(SeededNormalInitializer.fixed(SeededNormalInitializer.mix(seed, 2L * i + 1),
                    Math.sqrt(1.0 / (9.0 * channels))), Parameter.Type.WEIGHT);
        }
        Shape[] shapes = new Shape[inputs.size()];
        int side = 2 * inputs.get(inputs.size() - 1).stride();
        for (int i = 0; i < shapes.length; i++) {
            int cells = side / inputs.get(i).stride();
            shapes[i] = new Shape(1, inputs.get(i).channels(), cells, cells);
        }
        initialize(manager, DataType.FLOAT32, shapes);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        if (in.size() != inputs.size()) {
            throw new IllegalArgumentException("expected " + inputs.size() + " maps, got " + in.size());
        }
        int n = inputs.size();
        return Intermediates.keepOnly(in, () -> {
            NDArray[] p = new NDArray[n + 1];
            NDArray merged = null;
            for (int i = n - 1; i >= 0; i--) {
                NDArray lateral = laterals.get(i).forward(ps, new NDList(in.get(i)), training).singletonOrThrow();
                merged = merged == null ? lateral : lateral.add(upsample(merged, lateral.getShape()));
                p[i] = outputs.get(i).forward(ps, new NDList(merged), training).singletonOrThrow();
            }
            p[n] = p[n - 1].get(new NDIndex(":, :, ::2, ::2"));
            return new NDList(p);
        });
    }

    /** Nearest-neighbour ×2 upsampling of {@code x}, cropped to the height and width of {@code like}. */
    static NDArray upsample(NDArray x, Shape like) {
        NDArray up = x.repeat(2, 2).repeat(3, 2);
        long h = like.get(2);
        long w = like.get(3);
        if (up.getShape().get(2) == h && up.getShape().get(3) == w) return up;
        return up.get(new NDIndex(":, :, :{}, :{}", h, w));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape[] out = new Shape[in.length + 1];
        for (int i = 0; i < in.length; i++) out[i] = new Shape(in[i].get(0), channels, in[i].get(2), in[i].get(3));
        Shape top = in[in.length - 1];
        out[in.length] = new Shape(top.get(0), channels, (top.get(2) + 1) / 2, (top.get(3) + 1) / 2);
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int i = 0; i < inputs.size(); i++) {
            laterals.get(i).initialize(manager, dataType, inputShapes[i]);
            Shape[] lateral = laterals.get(i).getOutputShapes(new Shape[] {inputShapes[i]});
            outputs.get(i).initialize(manager, dataType, lateral);
        }
    }
}
