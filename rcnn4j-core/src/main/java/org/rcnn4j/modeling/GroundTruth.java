package org.rcnn4j.modeling;

import java.util.Arrays;
import org.rcnn4j.preprocess.BatchImage;

/**
 * The objects an image's training targets are assigned from: its boxes in the network input's
 * frame, without COCO crowd regions and VOC difficult objects (py-faster-rcnn trains without
 * difficult objects by default; torchvision and Detectron2 drop crowd boxes from targets).
 *
 * @param boxes   G×4 boxes, continuous convention, input-image pixels
 * @param classes G class indices 1..K
 */
public record GroundTruth(float[] boxes, int[] classes) {
    public static GroundTruth of(BatchImage image) {
        int r = image.numObjects();
        float[] boxes = new float[4 * r];
        int[] classes = new int[r];
        int g = 0;
        for (int i = 0; i < r; i++) {
            if (image.crowd()[i] || image.difficult()[i]) continue;
            System.arraycopy(image.boxes(), 4 * i, boxes, 4 * g, 4);
            classes[g++] = image.classes()[i];
        }
        return new GroundTruth(Arrays.copyOf(boxes, 4 * g), Arrays.copyOf(classes, g));
    }

    public int size() {
        return classes.length;
    }
}
