package org.rcnn4j.data;

/**
 * One detected object: what a detector outputs and what evaluation reads from a results file.
 *
 * <p>Box convention as {@link Annotation}: absolute continuous {@code x1 y1 x2 y2}. A detection may
 * reach past the image; evaluation takes it as it is.
 *
 * @param imageId    {@link ImageRecord#id()} of its image
 * @param categoryId the dataset's category id ({@link Category#id()})
 * @param score      confidence, higher is more confident
 */
public record Detection(long imageId, int categoryId, float x1, float y1, float x2, float y2, float score) {
    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }
}
