package org.rcnn4j.modeling.postprocess;

/**
 * One image's final detections, highest score first.
 *
 * @param boxes   D×4 boxes, continuous x1 y1 x2 y2, in the coordinates the post-processor was asked for
 * @param scores  D scores: class probabilities for a softmax predictor, margins for an SVM
 * @param classes D class indices in 1..K (never background)
 */
public record ImageDetections(float[] boxes, float[] scores, int[] classes) {
    public static final ImageDetections EMPTY = new ImageDetections(new float[0], new float[0], new int[0]);

    public int size() {
        return scores.length;
    }
}
