package org.rcnn4j.data.synth;

import java.util.List;

/**
 * What to generate: which split, how many images, their side and the seed.
 *
 * <p>The same spec always gives the same images, byte for byte: every image draws its random
 * choices from a stream derived from {@code (seed, split, index)} alone (see {@link SynthRandom}),
 * so the split changes the stream and train, val and test never share an image.
 *
 * @param split  {@code train}, {@code val} or {@code test}; also picks the Fashion-MNIST items a
 *               {@link FashionGenerator} draws from
 * @param images number of images N (0 is allowed: an empty dataset)
 * @param size   the side of the square images in pixels, {@value #MIN_SIZE}..{@value #MAX_SIZE}
 *               (defaults per generator: {@link SyntheticDataset#defaultSize()})
 * @param seed   the user's seed
 */
public record SynthSpec(String split, int images, int size, long seed) {
    /** The splits, in the order used to salt the random streams. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /** Smallest image side: room for the smallest objects of both generators with some context. */
    public static final int MIN_SIZE = 32;
    /** Largest image side: keeps one image's working buffers well under 100 MB. */
    public static final int MAX_SIZE = 4096;

    /** @throws IllegalArgumentException on an unknown split, a negative count or a side out of range */
    public SynthSpec {
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be train, val or test, not " + split);
        }
        if (images < 0) {
            throw new IllegalArgumentException("number of images must be >= 0, not " + images);
        }
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "image size must be " + MIN_SIZE + ".." + MAX_SIZE + " px, not " + size);
        }
    }

    /** Index of the split in {@link #SPLITS}: 0 train, 1 val, 2 test. */
    public int splitIndex() {
        return SPLITS.indexOf(split);
    }
}
