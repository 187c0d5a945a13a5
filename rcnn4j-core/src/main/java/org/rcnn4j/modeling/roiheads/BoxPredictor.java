package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;

/**
 * The last layers of the region stage (torchvision's {@code box_predictor}): per-region features
 * {@code (R, D)} in, {@code [class scores (R, K+1), class-specific box deltas (R, 4(K+1))]} out,
 * class u's deltas in columns 4u..4u+3, column 0 the background. {@link FastRcnnPredictor} is Fast
 * R-CNN's (softmax classifier, trained by SGD); R-CNN's and SPP-net's linear SVMs with ridge box
 * regressors are predictors of the same shape whose scores are margins, not probabilities.
 */
public interface BoxPredictor extends Block {
    /** K, object classes without background. */
    int numClasses();

    /**
     * The scores post-processing ranks and thresholds, from the first output: R×(K+1) row-major,
     * higher is better. They need not be probabilities (an SVM's margins are not).
     *
     * @param classOutput the predictor's first output, (R, K+1)
     */
    float[] testScores(NDArray classOutput);
}
