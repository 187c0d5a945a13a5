package org.rcnn4j.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.rcnn4j.data.ImageRecord;

/**
 * The training augmentations drawn per image beyond the scale and the flip: a {@link RandomCrop}
 * of the decoded image (boxes clipped or dropped with it), then a {@link PhotometricJitter} of the
 * pixels (boxes unchanged). The multi-scale draw ({@link LoaderConfig#scales()}) and the flip
 * ({@link LoaderConfig#flipProbability()}) come first, so that a run without these augmentations
 * draws exactly what it did before they existed. Serialised as {@code input.augmentation} of a
 * detector config; a missing part reads as none.
 *
 * @param crop        the random crop ({@link RandomCrop#none()} for none)
 * @param photometric the colour jitter and grayscale ({@link PhotometricJitter#none()} for none)
 */
public record Augmentation(RandomCrop crop, PhotometricJitter photometric) {
    public Augmentation {
        if (crop == null) crop = RandomCrop.none();
        if (photometric == null) photometric = PhotometricJitter.none();
    }

    /** Nothing beyond scale and flip. */
    public static Augmentation none() {
        return new Augmentation(RandomCrop.none(), PhotometricJitter.none());
    }

    /** The same with another crop. */
    public Augmentation withCrop(RandomCrop c) {
        return new Augmentation(c, photometric);
    }

    /** The same with another photometric jitter. */
    public Augmentation withPhotometric(PhotometricJitter p) {
        return new Augmentation(crop, p);
    }

    /** Whether this leaves every image as it is. */
    public boolean leavesImagesAlone() {
        return crop.probability() == 0 && photometric.leavesImagesAlone();
    }

    /** In words, for a training log: {@code crop 0.5 (sides 0.6-1, kept at 0.5 visible), jitter 0.4/0.4/0.4/0.05, grayscale 0.1}. */
    public String describe() {
        if (leavesImagesAlone()) return "no crop or colour jitter";
        List<String> parts = new ArrayList<>();
        if (crop.probability() > 0) {
            parts.add(String.format(Locale.ROOT, "crop %.2g (sides %.2g-1, kept at %.2g visible)",
                    crop.probability(), crop.minSide(), crop.minVisible()));
        }
        PhotometricJitter j = photometric;
        if (j.brightness() > 0 || j.contrast() > 0 || j.saturation() > 0 || j.hue() > 0) {
            parts.add(String.format(Locale.ROOT, "colour jitter %.2g/%.2g/%.2g/%.2g", j.brightness(), j.contrast(),
                    j.saturation(), j.hue()));
        }
        if (j.grayscaleProbability() > 0) parts.add(String.format(Locale.ROOT, "grayscale %.2g", j.grayscaleProbability()));
        return String.join(", ", parts);
    }

    /** The crop, then the jitter, of one decoded image; draws from {@code random} only for what is switched on. */
    RandomCrop.Cropped apply(RgbImage image, ImageRecord record, RandomGenerator random) {
        RandomCrop.Cropped c = crop.apply(image, record, random);
        RgbImage pixels = photometric.apply(c.image(), random);
        return pixels == c.image() ? c : new RandomCrop.Cropped(pixels, c.record(), c.x0(), c.y0());
    }
}
