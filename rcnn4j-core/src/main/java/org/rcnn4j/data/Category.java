package org.rcnn4j.data;

/**
 * An object category as the dataset names it.
 *
 * @param id   the dataset's own id (COCO ids may be non-contiguous; VOC gets 1..K in class order)
 * @param name the class name, e.g. {@code "ankle-boot"}
 */
public record Category(int id, String name) {}
