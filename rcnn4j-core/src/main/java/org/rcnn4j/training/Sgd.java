package org.rcnn4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with momentum and weight decay in Caffe's form (the solver of
 * R-CNN, Fast and Faster R-CNN): {@code v ← μ·v + lr·(g + λ·w)}, {@code w ← w − v}. Weight decay
 * applies to weights, not to biases or normalisation parameters (1-D arrays), as Caffe's
 * {@code decay_mult: 0} on biases.
 *
 * <p>Updates are in place and every temporary is closed at once, so the parameters' manager does
 * not grow over a long run (DJL's optimisers attach their intermediates to the weight's manager).
 * Frozen parameters (no gradient) are skipped.
 */
public final class Sgd {
    private final List<Parameter> parameters;
    private final NDList velocity;
    private final float momentum;
    private final float weightDecay;

    /**
     * @param parameters  the trainable parameters, in a fixed order (checkpoints rely on it)
     * @param manager     holds the momentum buffers
     * @param momentum    μ (0.9)
     * @param weightDecay λ (0.0005 in py-faster-rcnn; 0.0001 in Detectron2)
     */
    public Sgd(List<Parameter> parameters, NDManager manager, float momentum, float weightDecay) {
        this.parameters = new ArrayList<>(parameters);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = new NDList(parameters.size());
        for (Parameter p : parameters) velocity.add(manager.zeros(p.getArray().getShape()));
    }

    /** Applies one step with learning rate {@code lr} to every parameter that has a gradient. */
    public void step(float lr) {
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            if (!p.requiresGradient()) continue;
            NDArray w = p.getArray();
            NDArray g = w.getGradient();
            NDArray v = velocity.get(i);
            v.muli(momentum);
            try (NDArray scaled = g.mul(lr)) {
                v.addi(scaled);
            }
            if (weightDecay != 0 && w.getShape().dimension() > 1) {
                try (NDArray decay = w.mul(lr * weightDecay)) {
                    v.addi(decay);
                }
            }
            w.subi(v);
            g.close();
        }
    }

    /**
     * Sets every trainable parameter's gradient to zero. Call before each forward pass: a DJL
     * gradient collector does not reliably zero the gradients of parameters outside its graph,
     * and libtorch accumulates into them.
     */
    public void zeroGradients() {
        for (Parameter p : parameters) {
            if (!p.requiresGradient()) continue;
            try (NDArray g = p.getArray().getGradient()) {
                g.muli(0);
            }
        }
    }

    /** The momentum buffers, in parameter order (for checkpoints). */
    public NDList velocity() {
        return velocity;
    }

    /** Restores momentum buffers saved by {@link #velocity()}. */
    public void loadVelocity(NDList saved) {
        if (saved.size() != velocity.size()) {
            throw new IllegalArgumentException("checkpoint has " + saved.size() + " momentum buffers, model has "
                    + velocity.size());
        }
        for (int i = 0; i < saved.size(); i++) velocity.get(i).set(saved.get(i).toFloatArray());
    }
}
