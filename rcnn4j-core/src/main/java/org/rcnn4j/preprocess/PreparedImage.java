package org.rcnn4j.preprocess;

import java.nio.file.Path;
import java.util.List;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

/**
 * An image resized (and maybe flipped) for a detector, still as bytes, with its ground truth in
 * the same frame; {@link DetectionBatch#assemble} normalises and pads a list of these.
 *
 * <p>Keeping bytes until batching makes an image waiting in the loader's queue a quarter of the
 * size it would be as floats; normalising through {@link Normalize}'s lookup table is cheap.
 *
 * @param image  the transform and ground truth
 * @param pixels the resized, possibly flipped pixels, {@code image.width() × image.height()}
 */
public record PreparedImage(BatchImage image, RgbImage pixels) {

    /**
     * Resizes by Fast R-CNN's rule, optionally flips, and brings the annotations along.
     *
     * @param decoded   the decoded original image
     * @param record    the image's record; its annotations are in {@code decoded}'s pixel frame
     * @param file      the file {@code decoded} came from (for {@link BatchImage#file()} and messages); may be null
     * @param dataset   maps category ids to class indices 1..K
     * @param shortSide target shorter side, pixels
     * @param maxSize   cap on the longer side, pixels
     * @param flip      whether to mirror left–right after resizing
     * @throws BadInputException when an annotation's category is not in the dataset
     */
    public static PreparedImage prepare(RgbImage decoded, ImageRecord record, Path file, Dataset dataset,
                                        int shortSide, int maxSize, boolean flip) {
        return prepare(RandomCrop.Cropped.whole(decoded, record), record, file, dataset, shortSide, maxSize, flip);
    }

    /**
     * {@link #prepare(RgbImage, ImageRecord, Path, Dataset, int, int, boolean)} of a training crop:
     * the window's pixels and boxes, the original record kept as the image's identity (for its
     * proposals) and the window's offset recorded in {@link BatchImage#cropX()}, {@link BatchImage#cropY()}.
     *
     * @param window   the crop ({@link RandomCrop.Cropped#whole} for none): its record holds the kept boxes in its frame
     * @param original the dataset's record of the whole image
     */
    public static PreparedImage prepare(RandomCrop.Cropped window, ImageRecord original, Path file, Dataset dataset,
                                 int shortSide, int maxSize, boolean flip) {
        RgbImage decoded = window.image();
        ImageRecord record = window.record();
        Resize.Resized resized = Resize.toShortSide(decoded, shortSide, maxSize);
        RgbImage pixels = flip ? Flip.horizontal(resized.image()) : resized.image();
        List<Annotation> objects = record.annotations();
        int r = objects.size();
        float[] boxes = new float[4 * r];
        int[] classes = new int[r];
        boolean[] difficult = new boolean[r];
        boolean[] crowd = new boolean[r];
        for (int i = 0; i < r; i++) {
            Annotation a = objects.get(i);
            classes[i] = dataset.classIndex(a.categoryId());
            if (classes[i] < 1) {
                Path where = file != null ? file : dataset.source();
                throw new BadInputException(where, "annotation " + a.id() + " of image " + record.fileName(),
                        "category id " + a.categoryId() + " is not one of the dataset's categories");
            }
            System.arraycopy(a.box(), 0, boxes, 4 * i, 4);
            difficult[i] = a.difficult();
            crowd[i] = a.crowd();
        }
        boxes = Resize.scaleBoxes(boxes, resized.scale());
        if (flip) boxes = Flip.boxes(boxes, pixels.width());
        BatchImage meta = new BatchImage(original, file, window.x0(), window.y0(), decoded.width(), decoded.height(),
                pixels.width(), pixels.height(), shortSide, resized.scale(), flip, boxes, classes, difficult, crowd);
        return new PreparedImage(meta, pixels);
    }

    /**
     * Resizes an image for detection: no flip, no ground truth (R = 0 whatever the record holds).
     *
     * @param record describes the image (id, name, size) for the detections that will come back; its annotations are ignored
     */
    public static PreparedImage forInference(RgbImage decoded, ImageRecord record, Path file, int shortSide, int maxSize) {
        Resize.Resized resized = Resize.toShortSide(decoded, shortSide, maxSize);
        RgbImage pixels = resized.image();
        BatchImage meta = new BatchImage(record, file, 0, 0, decoded.width(), decoded.height(), pixels.width(),
                pixels.height(), shortSide, resized.scale(), false, new float[0], new int[0], new boolean[0], new boolean[0]);
        return new PreparedImage(meta, pixels);
    }
}
