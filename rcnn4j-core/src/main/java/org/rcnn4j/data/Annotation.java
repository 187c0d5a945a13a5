package org.rcnn4j.data;

/**
 * One ground-truth object of an image.
 *
 * <p>Boxes are absolute, continuous pixel coordinates {@code x1 y1 x2 y2} with {@code x2 > x1}:
 * a box covering pixel columns 0..9 has x1 = 0, x2 = 10 (COCO's {@code [x, y, w, h]} is
 * {@code x1 = x, x2 = x + w}; VOC's 1-based inclusive {@code xmin..xmax} is {@code x1 = xmin - 1,
 * x2 = xmax}). Conversions to other conventions happen at the edges only.
 *
 * @param id         the annotation's id (COCO's {@code id}; VOC gets a running number)
 * @param categoryId the dataset's category id ({@link Category#id()}), not a class index
 * @param area       COCO's {@code area} (used for COCO's small/medium/large ranges); box area when the source has none
 * @param difficult  VOC's {@code difficult} flag: neither true nor false positive in VOC evaluation
 * @param crowd      COCO's {@code iscrowd}: a region whose detections are ignored in COCO evaluation
 */
public record Annotation(
        long id,
        int categoryId,
        float x1,
        float y1,
        float x2,
        float y2,
        double area,
        boolean difficult,
        boolean crowd) {

    /** A plain object: box area as its area, not difficult, not crowd. */
    public static Annotation of(long id, int categoryId, float x1, float y1, float x2, float y2) {
        return new Annotation(id, categoryId, x1, y1, x2, y2, (double) (x2 - x1) * (y2 - y1), false, false);
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    /** The box as {@code {x1, y1, x2, y2}}. */
    public float[] box() {
        return new float[] {x1, y1, x2, y2};
    }
}
