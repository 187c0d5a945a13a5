package org.rcnn4j.cli;

import java.util.Arrays;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.preprocess.Augmentation;
import org.rcnn4j.preprocess.PhotometricJitter;
import org.rcnn4j.preprocess.RandomCrop;
import picocli.CommandLine.Option;

/**
 * {@code train}'s augmentation options: each replaces one part of the config's
 * {@code input.trainScales} and {@code input.augmentation} (the detector's defaults, or a
 * {@code --config} file's), and the result is what {@code model.json} records.
 */
final class AugmentationOptions {
    @Option(names = "--train-scales", paramLabel = "S1,S2,...", split = ",", hideParamSyntax = true,
            description = "Multi-scale training: each image's shorter side drawn from these pixels (the papers' scale "
                    + "jitter; the longer side capped at 5/3 of the largest). Default: the config's (train's plan for faster-rcnn, "
                    + "fpn and fast-rcnn draws s-d, s or s+d about the planned scale s, d = 0.15 s in steps of 32).")
    int[] trainScales;

    @Option(names = "--crop", paramLabel = "P[,MIN_SIDE[,MIN_VISIBLE]]", split = ",", hideParamSyntax = true,
            description = "Random crop: with probability P a window of MIN_SIDE to 1 of each side (default 0.5); "
                    + "a cut box is kept, clipped, when MIN_VISIBLE of its area is inside (default 0.5), else dropped. "
                    + "0 turns it off.")
    double[] crop;

    @Option(names = "--color-jitter", paramLabel = "B,C,S,H", split = ",", hideParamSyntax = true,
            description = "Photometric jitter: brightness, contrast and saturation factors drawn from [1-x, 1+x], "
                    + "hue turned by up to H of a full turn (torchvision's ColorJitter). 0,0,0,0 turns it off.")
    double[] colorJitter;

    @Option(names = "--grayscale", paramLabel = "P", description = "Make a training image gray with probability P.")
    Double grayscale;

    @Option(names = "--no-augmentation", description = "Train without crop, colour jitter, grayscale and multi-scale "
            + "(the horizontal flip stays). Given with the options above, they apply on top of none.")
    boolean none;

    /** Whether any option was given. */
    boolean given() {
        return none || trainScales != null || crop != null || colorJitter != null || grayscale != null;
    }

    /** {@code config} with the options applied; {@code config} itself when none was given. */
    DetectorConfig apply(DetectorConfig config) {
        if (!given()) return config;
        InputConfig in = config.input();
        if (none) in = in.withTrainScales(in.maxSize(), in.shortSide()).withAugmentation(Augmentation.none());
        if (trainScales != null) {
            if (trainScales.length == 0) throw new UsageException("--train-scales: expected at least one size");
            for (int s : trainScales) {
                if (s < 16) throw new UsageException("--train-scales: sizes must be at least 16 pixels, got " + s);
            }
            int largest = Arrays.stream(trainScales).max().getAsInt();
            in = in.withTrainScales(Math.max(in.maxSize(), InputConfig.maxSizeFor(largest)), trainScales);
        }
        Augmentation a = in.augmentation();
        if (crop != null) a = a.withCrop(crop());
        if (colorJitter != null || grayscale != null) a = a.withPhotometric(photometric(a.photometric()));
        return config.withInput(in.withAugmentation(a));
    }

    private RandomCrop crop() {
        if (crop.length < 1 || crop.length > 3) throw new UsageException("--crop: expected P[,MIN_SIDE[,MIN_VISIBLE]], got "
                + crop.length + " values");
        try {
            return crop[0] == 0 ? RandomCrop.none()
                    : new RandomCrop(crop[0], crop.length > 1 ? crop[1] : 0.5, crop.length > 2 ? crop[2] : 0.5);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--crop: " + e.getMessage());
        }
    }

    private PhotometricJitter photometric(PhotometricJitter current) {
        double[] j = colorJitter != null ? colorJitter
                : new double[] {current.brightness(), current.contrast(), current.saturation(), current.hue()};
        if (j.length != 4) throw new UsageException("--color-jitter: expected B,C,S,H (four values), got " + j.length);
        double gray = grayscale != null ? grayscale : current.grayscaleProbability();
        try {
            return new PhotometricJitter(j[0], j[1], j[2], j[3], gray);
        } catch (IllegalArgumentException e) {
            throw new UsageException((colorJitter != null ? "--color-jitter" : "--grayscale") + ": " + e.getMessage());
        }
    }
}
