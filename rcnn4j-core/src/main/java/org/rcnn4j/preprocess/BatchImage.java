package org.rcnn4j.preprocess;

import java.nio.file.Path;
import org.rcnn4j.data.ImageRecord;

/**
 * One image of a {@link DetectionBatch}, in training and at test alike: how it was transformed
 * (cropped, resized, flipped) and, in training, its ground truth in the transformed frame; at test the
 * ground truth is empty ({@link PreparedImage#forInference}). Holds no pixels (the batch does).
 *
 * <p>Boxes are absolute continuous {@code x1 y1 x2 y2} in the resized (and, when {@link #flipped},
 * mirrored) image, i.e. the original boxes, less the crop offset ({@link #cropX}, {@link #cropY}),
 * times {@link #scale}; divide by {@code scale} (after un-flipping) and add the offset to go back
 * to original pixels. Only training crops: at test the offset is 0. Objects keep the order of
 * {@link ImageRecord#annotations()}. An image without objects has R = 0 and empty arrays.
 *
 * @param record         the dataset's record of the image (original boxes, ids, file name)
 * @param file           the image file that was decoded, or null for images that came from memory
 * @param cropX          left edge of the training crop in the decoded image, pixels (0: not cropped)
 * @param cropY          top edge of the training crop, pixels
 * @param originalWidth  width before resizing, pixels: the decoded image's, or the crop window's
 * @param originalHeight height before resizing, pixels
 * @param width          width after resizing ({@code round(originalWidth * scale)}), before batch padding
 * @param height         height after resizing, before batch padding
 * @param shortSide      the target shorter side {@code s} drawn for this image (Fast R-CNN multi-scale)
 * @param scale          factor applied to pixels and boxes ({@link Resize#scaleFactor})
 * @param flipped        whether the image and boxes were mirrored left–right ({@link Flip})
 * @param boxes          R×4 ground-truth boxes in the transformed frame, flattened
 * @param classes        R class indices 1..K ({@link org.rcnn4j.data.Dataset#classIndex}); 0 never occurs
 * @param difficult      R VOC difficult flags
 * @param crowd          R COCO crowd flags
 */
public record BatchImage(
        ImageRecord record,
        Path file,
        int cropX,
        int cropY,
        int originalWidth,
        int originalHeight,
        int width,
        int height,
        int shortSide,
        double scale,
        boolean flipped,
        float[] boxes,
        int[] classes,
        boolean[] difficult,
        boolean[] crowd) {

    public BatchImage {
        int r = classes.length;
        if (boxes.length != 4 * r || difficult.length != r || crowd.length != r) {
            throw new IllegalArgumentException("inconsistent object arrays: " + boxes.length + " box values for "
                    + r + " classes, " + difficult.length + " difficult, " + crowd.length + " crowd flags");
        }
    }

    /**
     * The frame of an image detected at its own size (scale 1, not flipped, no ground truth): for
     * post-processing boxes that are already in original pixels, as the image-pyramid test does.
     */
    public static BatchImage atOriginalSize(ImageRecord record, int width, int height) {
        return new BatchImage(record, null, 0, 0, width, height, width, height, Math.min(width, height), 1.0, false,
                new float[0], new int[0], new boolean[0], new boolean[0]);
    }

    /** Number of objects R. */
    public int numObjects() {
        return classes.length;
    }

    /** Box {@code i} as {@code {x1, y1, x2, y2}} in the transformed frame. */
    public float[] box(int i) {
        return new float[] {boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]};
    }
}
