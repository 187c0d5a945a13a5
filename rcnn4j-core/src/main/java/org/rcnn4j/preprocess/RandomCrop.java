package org.rcnn4j.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.ImageRecord;

/**
 * Random crop of a training image with its boxes (Detectron2's {@code RandomCrop} with a relative
 * range; SSD's and torchvision's detection references crop likewise): with probability {@code p}
 * a window whose width and height are each a fraction of the image's, drawn uniformly from
 * [{@code minSide}, 1], at a uniform position, cut in whole pixels. Each box is clipped to the
 * window and moved into its frame; a box of which less than {@code minVisible} of its area stays
 * in the window is dropped. When the window would drop every object of an image that has some,
 * the image is left uncropped: a crop must not turn a training image into background only.
 *
 * <p>The crop runs on the decoded image, before resizing: the resize then brings the window to the
 * training scale, so a crop also zooms in. Draws come from the caller's generator, seeded per
 * image (the same seed gives the same crop); a crop that is not taken draws only the coin.
 *
 * @param probability p, in [0, 1]
 * @param minSide     the smallest side fraction, in (0, 1]
 * @param minVisible  a clipped box is kept when at least this fraction of its area is inside, in (0, 1]
 */
public record RandomCrop(double probability, double minSide, double minVisible) {
    public RandomCrop {
        if (!(probability >= 0 && probability <= 1)) throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        if (!(minSide > 0 && minSide <= 1)) throw new IllegalArgumentException("minSide must be in (0, 1], got " + minSide);
        if (!(minVisible > 0 && minVisible <= 1)) throw new IllegalArgumentException("minVisible must be in (0, 1], got " + minVisible);
    }

    /** No crop. */
    public static RandomCrop none() {
        return new RandomCrop(0, 1, 1);
    }

    /**
     * An image and its record after the crop (the originals when none was taken).
     *
     * @param image  the window's pixels
     * @param record the record with the window's size and the kept boxes in the window's frame
     * @param x0     the window's left edge in the original image, pixels
     * @param y0     the window's top edge
     */
    public record Cropped(RgbImage image, ImageRecord record, int x0, int y0) {
        /** The image as it is. */
        static Cropped whole(RgbImage image, ImageRecord record) {
            return new Cropped(image, record, 0, 0);
        }
    }

    /** Crops {@code image} and its annotations, or returns them as they are. */
    public Cropped apply(RgbImage image, ImageRecord record, RandomGenerator random) {
        if (probability == 0 || !(random.nextDouble() < probability)) return Cropped.whole(image, record);
        int w = Math.max(1, (int) Math.round(image.width() * (minSide + (1 - minSide) * random.nextDouble())));
        int h = Math.max(1, (int) Math.round(image.height() * (minSide + (1 - minSide) * random.nextDouble())));
        int x0 = random.nextInt(image.width() - w + 1);
        int y0 = random.nextInt(image.height() - h + 1);
        return crop(image, record, x0, y0, w, h);
    }

    /** The window {@code [x0, x0 + w) × [y0, y0 + h)}, or the originals when it would drop every object. */
    Cropped crop(RgbImage image, ImageRecord record, int x0, int y0, int w, int h) {
        List<Annotation> kept = new ArrayList<>();
        for (Annotation a : record.annotations()) {
            float x1 = Math.max(a.x1(), x0) - x0;
            float y1 = Math.max(a.y1(), y0) - y0;
            float x2 = Math.min(a.x2(), x0 + w) - x0;
            float y2 = Math.min(a.y2(), y0 + h) - y0;
            double inside = (double) Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
            double whole = (double) a.width() * a.height();
            if (!(whole > 0) || inside < minVisible * whole) continue;
            double area = a.area() * inside / whole;
            kept.add(new Annotation(a.id(), a.categoryId(), x1, y1, x2, y2, area, a.difficult(), a.crowd()));
        }
        if (kept.isEmpty() && !record.annotations().isEmpty()) return Cropped.whole(image, record);
        byte[] src = image.pixels();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) System.arraycopy(src, ((y0 + y) * image.width() + x0) * 3, out, y * w * 3, w * 3);
        ImageRecord cropped = new ImageRecord(record.id(), record.name(), record.fileName(), w, h, kept);
        return new Cropped(new RgbImage(w, h, out), cropped, x0, y0);
    }
}
