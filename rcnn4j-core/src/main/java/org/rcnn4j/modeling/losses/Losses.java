package org.rcnn4j.modeling.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * The loss functions of the two-stage detectors, as differentiable NDArray expressions. Inputs are
 * the already-selected predictions (the sampler's choice is made in plain Java beforehand), so each
 * function is a handful of native calls whatever the number of anchors or RoIs.
 *
 * <p>Scalars on the autograd path are arrays made by {@link #constant}, never {@code NDArray op
 * Number}: DJL's PyTorch engine wraps such a number in a tensor over a Java buffer and closes it at
 * once, while autograd keeps the tensor for the backward pass, which then reads freed memory after
 * the next garbage collection (DJL 0.36, {@code PtNDArray.mul(Number)} and kin).
 */
public final class Losses {
    private Losses() {}

    /**
     * A scalar constant for the autograd path, owned by {@code manager} so that it outlives the
     * backward pass (see the class comment).
     */
    public static NDArray constant(NDManager manager, float value) {
        return manager.create(value);
    }

    /** {@code x · value}, safe on the autograd path. */
    public static NDArray scale(NDArray x, float value) {
        return x.mul(constant(x.getManager(), value));
    }

    /**
     * Sigmoid cross-entropy of objectness logits (Faster R-CNN §3.1.2, L_cls), averaged.
     * Computed as {@code max(x, 0) - x·y + log(1 + exp(-|x|))}, which never overflows.
     *
     * @param logits  (S) logits of the sampled anchors
     * @param targets S values in {0, 1}
     * @return a scalar; 0 when S = 0
     */
    public static NDArray binaryCrossEntropyWithLogits(NDArray logits, float[] targets) {
        NDManager m = logits.getManager();
        if (targets.length == 0) return scale(logits.sum(), 0);
        NDArray y = m.create(targets);
        NDArray softplusOfNegAbs = logits.abs().neg().exp().add(constant(m, 1)).log();
        return logits.maximum(constant(m, 0)).sub(logits.mul(y)).add(softplusOfNegAbs).mean();
    }

    /**
     * Softmax cross-entropy over K+1 classes (Fast R-CNN §2.3, L_cls = -log p_u), averaged over R.
     *
     * @param logits (R, K+1) class logits
     * @param labels R labels in 0..K (0 = background)
     * @return a scalar; 0 when R = 0
     */
    public static NDArray softmaxCrossEntropy(NDArray logits, int[] labels) {
        if (labels.length == 0) return scale(logits.sum(), 0);
        long classes = logits.getShape().get(1);
        long[] flat = new long[labels.length];
        for (int i = 0; i < labels.length; i++) flat[i] = i * classes + labels[i];
        NDArray picked = logits.logSoftmax(1).reshape(-1).take(logits.getManager().create(flat));
        return picked.neg().mean();
    }

    /**
     * Smooth L1 (Fast R-CNN eq. 3, with a transition point beta): 0.5·d²/beta where |d| < beta, else
     * |d| - 0.5·beta; beta = 1 is the paper's, beta = 1/9 is py-faster-rcnn's RPN (sigma = 3),
     * beta = 0 is plain L1. Summed, not averaged: callers divide by their own normaliser.
     *
     * @param predicted (P, 4) predicted deltas
     * @param targets   P×4 target deltas (row-major)
     * @return a scalar; 0 when P = 0
     */
    public static NDArray smoothL1Sum(NDArray predicted, float[] targets, float beta) {
        if (targets.length == 0) return scale(predicted.sum(), 0);
        NDManager m = predicted.getManager();
        NDArray d = predicted.sub(m.create(targets, predicted.getShape())).abs();
        if (beta <= 0) return d.sum();
        NDArray quadratic = scale(d.square(), 0.5f / beta);
        NDArray linear = d.sub(constant(m, 0.5f * beta));
        return NDArrays.where(d.lt(constant(m, beta)), quadratic, linear).sum();
    }

    /**
     * Elements {@code index} of an array flattened in row-major order, as a 1-D differentiable gather.
     */
    public static NDArray selectFlat(NDArray array, long[] index) {
        return array.reshape(-1).take(array.getManager().create(index));
    }
}
