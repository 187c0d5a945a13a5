package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rcnn4j.modeling.Intermediates;

/**
 * A convolutional backbone: a chain of named stages, each a DJL block whose output is a feature map
 * of known channels and stride ({@link FeatureSpec}).
 *
 * <p>Input: an {@code N x 3 x H x W} float array of normalised RGB images. The single-scale
 * detectors (R-CNN ... Faster R-CNN) use {@link #output()}, the stride-16 map {@value #OUTPUT}
 * ({@code N x C x ceil(H/16) x ceil(W/16)}); this block's own {@code forward} returns that map
 * and stops there (a ResNet's {@code C5} stage is not run). FPN takes {@link #PYRAMID} (C2-C5,
 * strides 4, 8, 16, 32) from {@link #forwardStages}.
 *
 * <p>Stages are run in order; stage parameters can be frozen from the first stage up to a named one
 * ({@link #freezeUpTo}), as Fast R-CNN (§4.5) leaves the first layers untrained and the 4-step
 * alternating training of Faster R-CNN (§3.2) fixes the shared layers.
 */
public final class Backbone extends AbstractBlock {
    /** Name of the single-scale output, stride 16. */
    public static final String OUTPUT = "C4";
    /** Names of the FPN inputs C2..C5 (Lin et al. 2017, §3: strides 4, 8, 16, 32). */
    public static final List<String> PYRAMID = List.of("C2", "C3", "C4", "C5");
    /** Input side used to infer parameter shapes at initialisation (any side ≥ 32 gives the same shapes). */
    static final int INIT_SIDE = 64;
    private static final byte VERSION = 1;

    /** One named stage: its output spec and the block that computes it from the previous stage's output. */
    public record Stage(FeatureSpec spec, Block block) {}

    private final String name;
    private final List<FeatureSpec> specs = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final int outputIndex;

    /**
     * @param name   the name {@link Backbones#create} knows it by (written into weight files)
     * @param stages the stages in order; names unique; strides non-decreasing; one named {@value #OUTPUT}
     *               with stride 16
     */
    public Backbone(String name, List<Stage> stages) {
        super(VERSION);
        this.name = name;
        Set<String> seen = new HashSet<>();
        int stride = 1;
        for (Stage stage : stages) {
            FeatureSpec spec = stage.spec();
            if (!seen.add(spec.name())) throw new IllegalArgumentException("duplicate stage " + spec.name());
            if (spec.stride() < stride) throw new IllegalArgumentException("stage " + spec.name() + " has a smaller stride than the one before");
            stride = spec.stride();
            specs.add(spec);
            blocks.add(addChildBlock(spec.name(), stage.block()));
        }
        outputIndex = indexOf(OUTPUT);
        if (specs.get(outputIndex).stride() != 16) throw new IllegalArgumentException(OUTPUT + " must have stride 16");
    }

    /** The name, e.g. {@code resnet18-w0.5}. */
    public String name() {
        return name;
    }

    /** The single-scale output {@value #OUTPUT} (stride 16). */
    public FeatureSpec output() {
        return specs.get(outputIndex);
    }

    /** The outputs of {@link #forward}: the single-scale output only. */
    public List<FeatureSpec> outputs() {
        return List.of(output());
    }

    /** All stages in order, shallowest first. */
    public List<FeatureSpec> stages() {
        return List.copyOf(specs);
    }

    /** The FPN inputs C2..C5, strides 4, 8, 16, 32. */
    public List<FeatureSpec> pyramid() {
        return PYRAMID.stream().map(this::stage).toList();
    }

    /**
     * The spec of stage {@code stageName}.
     *
     * @throws IllegalArgumentException listing the stages when there is none of that name
     */
    public FeatureSpec stage(String stageName) {
        return specs.get(indexOf(stageName));
    }

    /**
     * The block computing stage {@code stageName} from the previous stage's output; a detector head
     * made of a stage (a ResNet's conv5_x, {@code C5Head}) takes its architecture from here.
     *
     * @throws IllegalArgumentException listing the stages when there is none of that name
     */
    public Block stageBlock(String stageName) {
        return blocks.get(indexOf(stageName));
    }

    private int indexOf(String stageName) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(stageName)) return i;
        }
        throw new IllegalArgumentException("backbone " + name + " has no stage " + stageName + "; stages: "
                + specs.stream().map(FeatureSpec::name).toList());
    }

    /**
     * Initialises every parameter: convolution and linear weights by {@link SeededNormalInitializer#kaiming}
     * with a seed derived from {@code seed} and the parameter's position, GroupNorm γ = 1 (0 for the
     * last norm of a residual branch) and β = 0, biases 0. Arrays are created in {@code manager}.
     */
    public void initialize(NDManager manager, long seed) {
        int index = 0;
        for (Parameter p : getParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                p.setInitializer(SeededNormalInitializer.kaiming(SeededNormalInitializer.mix(seed, index)));
            }
            index++;
        }
        initialize(manager, DataType.FLOAT32, new Shape(1, 3, INIT_SIDE, INIT_SIDE));
    }

    /**
     * The single-scale output for a batch.
     *
     * @param images   {@code N x 3 x H x W} normalised images
     * @param training true in a training pass (inside a GradientCollector)
     * @return {@code N x C x ceil(H/16) x ceil(W/16)}, C = {@code output().channels()}
     */
    public NDArray features(ParameterStore store, NDArray images, boolean training) {
        return forward(store, new NDList(images), training).singletonOrThrow();
    }

    /**
     * Runs the stages up to the deepest one named and returns the named maps.
     *
     * @param images     {@code N x 3 x H x W} normalised images
     * @param stageNames the stages wanted, e.g. {@link #PYRAMID}
     * @return the maps, each {@code N x C_s x ceil(H/s) x ceil(W/s)}
     */
    public FeatureMaps forwardStages(ParameterStore store, NDArray images, boolean training, Collection<String> stageNames) {
        int last = -1;
        Set<String> wanted = new HashSet<>(stageNames);
        for (String s : wanted) last = Math.max(last, indexOf(s));
        int deepest = last;
        NDList kept = Intermediates.keepOnly(new NDList(images), () -> {
            NDList out = new NDList();
            NDList x = new NDList(images);
            for (int i = 0; i <= deepest; i++) {
                x = stageForward(i, store, x, training);
                if (wanted.contains(specs.get(i).name())) out.add(x.singletonOrThrow());
            }
            return out;
        });
        FeatureMaps maps = new FeatureMaps();
        int k = 0;
        for (int i = 0; i <= last; i++) {
            if (wanted.contains(specs.get(i).name())) maps.put(specs.get(i), kept.get(k++));
        }
        return maps;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return Intermediates.keepOnly(inputs, () -> {
            NDList x = inputs;
            for (int i = 0; i <= outputIndex; i++) x = stageForward(i, store, x, training);
            return x;
        });
    }

    /** Stage {@code i} on {@code x}; at inference the stage's block outputs are freed as it ends. */
    private NDList stageForward(int i, ParameterStore store, NDList x, boolean training) {
        return Intermediates.keepOnly(x, () -> blocks.get(i).forward(store, x, training));
    }

    /** Shape of the single-scale output for input shapes {@code [N x 3 x H x W]}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return stageShapes(inputShapes[0]).get(outputIndex);
    }

    /** The output shape of every stage for an input of shape {@code input} (shape inference only, no computation). */
    public List<Shape[]> stageShapes(Shape input) {
        List<Shape[]> out = new ArrayList<>();
        Shape[] shapes = {input};
        for (Block block : blocks) {
            shapes = block.getOutputShapes(shapes);
            out.add(shapes);
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block block : blocks) {
            block.initialize(manager, dataType, shapes);
            shapes = block.getOutputShapes(shapes);
        }
    }

    /**
     * Freezes the parameters of every stage from the first up to and including {@code stageName}
     * (they get no gradient, so an optimizer leaves them unchanged) and unfreezes all later stages.
     */
    public void freezeUpTo(String stageName) {
        int last = indexOf(stageName);
        for (int i = 0; i < blocks.size(); i++) blocks.get(i).freezeParameters(i <= last);
    }

    /**
     * The parameters of the stages after the single-scale output (a ResNet's C5): a pass of
     * {@link #forward} gives them no gradient, so a trainer of the stride-16 output skips them.
     */
    public List<Parameter> parametersAfterOutput() {
        List<Parameter> out = new ArrayList<>();
        for (int i = outputIndex + 1; i < blocks.size(); i++) out.addAll(blocks.get(i).getParameters().values());
        return out;
    }

    /** Makes every parameter trainable again. */
    public void unfreezeAll() {
        freezeParameters(false);
    }

    /** Writes the parameters to {@code file} atomically (see {@link BackboneWeights}). */
    public void save(Path file) {
        BackboneWeights.save(this, file);
    }

    /** Reads a backbone written by {@link #save}; arrays are created in {@code manager}. */
    public static Backbone load(Path file, NDManager manager) {
        return BackboneWeights.load(file, manager);
    }
}
