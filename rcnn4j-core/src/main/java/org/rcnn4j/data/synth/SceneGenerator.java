package org.rcnn4j.data.synth;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;

/**
 * The recipe both generators share: a procedural background, 1..{@link #maxObjects()} proposed
 * objects placed one by one under the occlusion rules of a {@link SceneComposer} (each object's
 * position is re-drawn up to {@link #PLACEMENT_TRIES} times, then the object is dropped), colours
 * chosen against the background under each object, compositing, and sensor noise.
 *
 * <p>Subclasses say what an object looks like ({@link #propose}, {@link #paint}) and the rules.
 */
public abstract class SceneGenerator implements SyntheticDataset {
    /** Positions tried for one object before it is dropped. */
    static final int PLACEMENT_TRIES = 30;
    /** Amplitude of the uniform per-channel sensor noise added last, in 8-bit levels. */
    static final int SENSOR_NOISE = 6;

    /** An object before placement: its class, its source item, and its coverage at offset (0, 0). */
    protected record Proposal(int classIndex, int source, Layer layer) {}

    /**
     * What distinguishes one kind of scene.
     *
     * @param name               the kind's name on the command line
     * @param categories         categories, ids 1..K in class order
     * @param defaultSize        default image side in pixels
     * @param maxObjects         most objects proposed for one image; the count is uniform in 1..this
     * @param minVisibleFraction share of its own pixels every object keeps visible, in [0, 1]
     * @param maxIoU             largest IoU allowed between two objects' visible boxes (1 = no limit)
     */
    protected record Rules(String name, List<Category> categories, int defaultSize, int maxObjects,
            double minVisibleFraction, double maxIoU) {}

    private final Rules rules;

    protected SceneGenerator(Rules rules) {
        this.rules = rules;
    }

    @Override
    public final String name() {
        return rules.name();
    }

    @Override
    public final List<Category> categories() {
        return rules.categories();
    }

    @Override
    public final int defaultSize() {
        return rules.defaultSize();
    }

    protected final int maxObjects() {
        return rules.maxObjects();
    }

    protected final double minVisibleFraction() {
        return rules.minVisibleFraction();
    }

    protected final double maxIoU() {
        return rules.maxIoU();
    }

    /** Draws one object for an image of {@code spec}; its layer must fit in the image. */
    protected abstract Proposal propose(SplittableRandom rng, SynthSpec spec);

    /**
     * The colour of a placed object per crop pixel ({@code 0xRRGGBB}, {@link Layer#alpha()} layout).
     *
     * @param backgroundLuma mean luma of the background under the crop, 0..255
     */
    protected abstract int[] paint(SplittableRandom rng, Proposal object, double backgroundLuma);

    /** The empty scene: a fresh {@code size × size} RGB background drawn from the image's stream. */
    protected BufferedImage background(SplittableRandom rng, int size) {
        return ProceduralBackground.render(rng, size);
    }

    /** Loads whatever {@code spec} needs before images are made in parallel; may be called often. */
    protected void prepare(SynthSpec spec) {}

    /**
     * Makes image {@code index} (0-based) of {@code spec} in memory, without writing anything.
     * Same arguments, same scene.
     */
    public Scene scene(SynthSpec spec, int index) {
        prepare(spec);
        int size = spec.size();
        SplittableRandom rng = SynthRandom.forImage(spec, index);
        BufferedImage image = background(rng, size);
        int[] px = ProceduralBackground.pixels(image);
        SceneComposer composer = new SceneComposer(size, minVisibleFraction(), maxIoU());
        int wanted = 1 + rng.nextInt(maxObjects());
        List<Proposal> placed = new ArrayList<>();
        for (int k = 0; k < wanted; k++) {
            Proposal p = propose(rng, spec);
            Layer at = place(rng, composer, p.layer(), size);
            if (at != null) placed.add(new Proposal(p.classIndex(), p.source(), at));
        }
        List<int[]> colours = new ArrayList<>();
        for (Proposal p : placed) {
            colours.add(paint(rng, p, ProceduralBackground.meanLuma(px, size, p.layer())));
        }
        List<Layer> layers = composer.layers();
        SceneComposer.composite(px, size, layers, colours);
        ProceduralBackground.addSensorNoise(image, rng, SENSOR_NOISE);
        SceneComposer.Visibility[] vis = composer.visibility();
        List<SceneObject> objects = new ArrayList<>();
        for (int k = 0; k < placed.size(); k++) {
            Proposal p = placed.get(k);
            float[] b = vis[k].box();
            objects.add(new SceneObject(p.classIndex(), p.source(), p.layer(), colours.get(k),
                    vis[k].pixels(), p.layer().ownPixels(), b[0], b[1], b[2], b[3]));
        }
        return new Scene(image, objects);
    }

    /** Tries random positions for {@code layer}; returns the accepted one, or null. */
    private static Layer place(SplittableRandom rng, SceneComposer composer, Layer layer, int size) {
        if (layer.width() > size || layer.height() > size) return null;
        for (int t = 0; t < PLACEMENT_TRIES; t++) {
            Layer at = layer.moveTo(rng.nextInt(size - layer.width() + 1), rng.nextInt(size - layer.height() + 1));
            if (composer.tryAdd(at)) return at;
        }
        return null;
    }

    @Override
    public Dataset generate(SynthSpec spec, Path imagesDir, IntConsumer progress, int parallelism) {
        prepare(spec);
        return new SceneWriter(this, spec, imagesDir).write(progress, parallelism);
    }
}
