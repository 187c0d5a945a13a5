package org.rcnn4j.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees the arrays a step of the network creates as soon as the step is done, at inference.
 *
 * <p>DJL keeps every NDArray until its NDManager closes, and a detector runs each image in one
 * manager. Without this, every activation of the whole network stays resident until the image is
 * done: a ResNet-50 FPN at 800 x 800 held 5.1 GB that way, where PyTorch, which frees an activation
 * when its last use is over, needs about 1 GB (issue 19). Layers wrap their forward pass in
 * {@link #keepOnly}: the step's outputs survive, everything else it made is closed when it returns.
 * Steps nest: the survivors of an inner step belong to the enclosing one, which frees them in turn
 * unless they are among its own outputs.
 *
 * <p>While autograd records (training, {@link Autograd#isRecording()}), nothing is closed: libtorch
 * keeps what backward reads by itself, but training's memory and arithmetic stay exactly as they were.
 */
public final class Intermediates {
    private Intermediates() {}

    /**
     * Runs {@code step}; at inference, closes every array created during it except those in its
     * result (and hands those to the enclosing step, if any).
     *
     * @param inputs the step's inputs: returned unchanged they stay the caller's, never handed on
     */
    public static NDList keepOnly(NDList inputs, Supplier<NDList> step) {
        if (Autograd.isRecording()) return step.get();
        NDList out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = step.get();
            NDScope.unregister(out);
        }
        for (NDArray a : out) {
            if (!containsSame(inputs, a)) NDScope.register(a);
        }
        return out;
    }

    /** {@link #keepOnly(NDList, Supplier)} for a step with one output array. */
    public static NDArray keepOnly(NDArray input, Supplier<NDArray> step) {
        return keepOnly(new NDList(input), () -> new NDList(step.get())).singletonOrThrow();
    }

    private static boolean containsSame(NDList list, NDArray a) {
        for (NDArray b : list) if (b == a) return true;
        return false;
    }
}
