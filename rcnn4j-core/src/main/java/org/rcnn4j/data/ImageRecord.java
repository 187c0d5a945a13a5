package org.rcnn4j.data;

import java.util.List;

/**
 * One image of a dataset and its objects. Holds no pixels: {@link Dataset#imagePath} finds the file.
 *
 * @param id          numeric image id (COCO's {@code id}; for VOC the file stem when it is a number, else its index)
 * @param name        the name results files use for this image: VOC's file stem (e.g. {@code 000005}),
 *                    COCO's {@code file_name} without its extension
 * @param fileName    the image file relative to the dataset's image folder (COCO {@code file_name}, VOC {@code JPEGImages/<name>.jpg})
 * @param width       width in pixels
 * @param height      height in pixels
 * @param annotations the objects; empty for an image without objects (valid background-only data)
 */
public record ImageRecord(long id, String name, String fileName, int width, int height, List<Annotation> annotations) {
    public ImageRecord {
        annotations = List.copyOf(annotations);
    }
}
