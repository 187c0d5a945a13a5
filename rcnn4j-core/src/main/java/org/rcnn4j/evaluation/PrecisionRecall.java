package org.rcnn4j.evaluation;

/**
 * A class's precision/recall curve and the average precision computed from it.
 *
 * @param className the class name
 * @param recall    recall at each point, non-decreasing, in [0, 1]
 * @param precision precision at each point, same length as {@code recall}, in [0, 1]
 * @param ap        average precision under the metric that produced the curve; -1 when the class
 *                  has no ground truth (COCO's convention for an empty cell)
 */
public record PrecisionRecall(String className, double[] recall, double[] precision, double ap) {
    public PrecisionRecall {
        if (recall.length != precision.length) {
            throw new IllegalArgumentException("recall and precision differ in length");
        }
    }
}
