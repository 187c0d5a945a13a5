package org.rcnn4j.data.synth;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rcnn4j.data.Category;

/**
 * {@code fashion}, the benchmark: Fashion-MNIST items composited on procedural backgrounds.
 *
 * <p>Each image (default {@value #DEFAULT_SIZE} px square) gets 1..{@value #MAX_OBJECTS} items.
 * An item is cropped to its pixels brighter than {@link SceneComposer#VISIBLE_ALPHA}, scaled with
 * bilinear interpolation so that its longer side is log-uniform in {@value #MIN_SIDE}..{@value
 * #MAX_SIDE} px (at most {@value #MAX_SIDE_FRACTION} of a smaller image), and drawn in one random
 * tint with its intensity (0..255 mapped to 0..1) as alpha. Items may overlap, but the visible
 * boxes of any two have IoU at most {@value #MAX_IOU} and every item keeps {@value #MIN_VISIBLE}
 * of its pixels visible; positions are re-drawn up to {@link SceneGenerator#PLACEMENT_TRIES}
 * times, then the item is dropped. The box is the tight box of the pixels where the item's final
 * weight exceeds {@link SceneComposer#VISIBLE_ALPHA}.
 *
 * <p>Backgrounds: each image draws one of the generator's {@link BackgroundFamily families}
 * (uniformly; with one family nothing is drawn, so {@code classic} alone gives the bytes of the
 * generator before families existed). The default is every family ({@code varied}).
 *
 * <p>Items by split: train draws from training items 0..49 999, val from training items
 * 50 000..59 999, test from the t10k items; so pre-training on the training part's first
 * {@value #TRAIN_ITEMS} items never sees a val or test item.
 */
public final class FashionGenerator extends SceneGenerator {
    /** The kind's name on the command line. */
    public static final String NAME = "fashion";
    /** Default image side in pixels. */
    public static final int DEFAULT_SIZE = 320;
    /** Most items per image. */
    public static final int MAX_OBJECTS = 8;
    /** Shortest longer side of an item in pixels. */
    public static final int MIN_SIDE = 16;
    /** Longest longer side of an item in pixels. */
    public static final int MAX_SIDE = 192;
    /** Cap on the longer side relative to the image side, for images smaller than the default. */
    public static final double MAX_SIDE_FRACTION = 0.6;
    /** Largest IoU between two items' boxes. */
    public static final double MAX_IOU = 0.3;
    /** Share of its pixels every item keeps visible under later items. */
    public static final double MIN_VISIBLE = 0.6;
    /** Training items 0..TRAIN_ITEMS-1 feed the train split; the rest of the training part feeds val. */
    public static final int TRAIN_ITEMS = 50_000;

    private static final List<Category> CATEGORIES = ShapesGenerator.categoriesOf(FashionMnist.CLASS_NAMES);

    private final Path source;
    private final List<BackgroundFamily> families;
    private final Map<FashionMnist.Part, FashionMnist> parts = new EnumMap<>(FashionMnist.Part.class);

    /**
     * Reads the items from {@code source} (see {@link FashionMnist}) when first needed, and draws
     * each image's background from {@code families}.
     *
     * @throws IllegalArgumentException when {@code families} is empty
     */
    public FashionGenerator(Path source, List<BackgroundFamily> families) {
        super(new Rules(NAME, CATEGORIES, DEFAULT_SIZE, MAX_OBJECTS, MIN_VISIBLE, MAX_IOU));
        if (families.isEmpty()) throw new IllegalArgumentException("at least one background family is needed");
        this.source = source;
        this.families = List.copyOf(families);
    }

    /** Every background family ({@code varied}), the items read from {@code source}. */
    public FashionGenerator(Path source) {
        this(source, BackgroundFamily.all());
    }

    /** Reads the items from {@link FashionMnist#DEFAULT_DIR}. */
    public FashionGenerator() {
        this(FashionMnist.DEFAULT_DIR);
    }

    /** The families the backgrounds are drawn from. */
    public List<BackgroundFamily> families() {
        return families;
    }

    /** The family image {@code index} of {@code spec} is drawn on: the first draw of the image's stream. */
    public BackgroundFamily familyOf(SynthSpec spec, int index) {
        return family(SynthRandom.forImage(spec, index));
    }

    @Override
    protected BufferedImage background(SplittableRandom rng, int size) {
        return family(rng).render(rng, size);
    }

    private BackgroundFamily family(SplittableRandom rng) {
        return families.size() == 1 ? families.get(0) : families.get(rng.nextInt(families.size()));
    }
    @Override
    protected void prepare(SynthSpec spec) {
        data(spec);
    }

    /** The part that {@code spec}'s split draws from, read once. */
    private synchronized FashionMnist data(SynthSpec spec) {
        FashionMnist.Part part = spec.split().equals("test") ? FashionMnist.Part.TEST : FashionMnist.Part.TRAIN;
        return parts.computeIfAbsent(part, p -> FashionMnist.read(source, p));
    }

    /**
     * The item indices {@code [from, to)} within its part that a split draws from.
     *
     * @param partSize number of items in the split's part
     */
    static int[] itemRange(String split, int partSize) {
        switch (split) {
            case "train":
                return new int[] {0, Math.min(TRAIN_ITEMS, partSize)};
            case "val":
                return new int[] {Math.min(TRAIN_ITEMS, partSize), partSize};
            default:
                return new int[] {0, partSize};
        }
    }

    @Override
    protected Proposal propose(SplittableRandom rng, SynthSpec spec) {
        FashionMnist data = data(spec);
        int[] range = itemRange(spec.split(), data.size());
        if (range[1] <= range[0]) {
            throw new IllegalStateException("no Fashion-MNIST items for split " + spec.split());
        }
        int item = range[0] + rng.nextInt(range[1] - range[0]);
        double maxSide = Math.min(MAX_SIDE, MAX_SIDE_FRACTION * spec.size());
        double side = SynthRandom.logUniform(rng, MIN_SIDE, Math.max(MIN_SIDE, maxSide));
        return new Proposal(data.label(item) + 1, item, scaledItem(data, item, side));
    }

    /** The item cropped to its visible pixels and scaled (bilinear) so its longer side is {@code side} px. */
    static Layer scaledItem(FashionMnist data, int item, double side) {
        int s = FashionMnist.SIDE;
        int threshold = Math.round(SceneComposer.VISIBLE_ALPHA * 255);
        int minX = s, minY = s, maxX = -1, maxY = -1;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                if (data.pixel(item, x, y) > threshold) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            minX = 0;
            minY = 0;
            maxX = s - 1;
            maxY = s - 1;
        }
        int cw = maxX - minX + 1, ch = maxY - minY + 1;
        float[] crop = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) crop[y * cw + x] = data.pixel(item, minX + x, minY + y) / 255f;
        }
        double scale = side / Math.max(cw, ch);
        int dw = Math.max(1, (int) Math.round(cw * scale));
        int dh = Math.max(1, (int) Math.round(ch * scale));
        return new Layer(0, 0, dw, dh, Resample.bilinear(crop, cw, ch, dw, dh));
    }

    @Override
    protected int[] paint(SplittableRandom rng, Proposal object, double backgroundLuma) {
        int[] tint = new int[object.layer().width() * object.layer().height()];
        Arrays.fill(tint, ProceduralBackground.contrastingColour(rng, backgroundLuma));
        return tint;
    }
}
