package org.rcnn4j.modeling;

/**
 * Whether DJL is recording operations for a backward pass on this thread: true inside a
 * {@link ai.djl.training.GradientCollector}, false at inference.
 *
 * <p>Layers that have a faster path without autograd (the RoI poolers sum in Java) ask this rather
 * than {@code NDArray.hasGradient()}: on the PyTorch engine that is true only for leaf arrays such as
 * parameters, so an intermediate feature map "has no gradient" even while a backward pass will need
 * one through it. Grad mode is libtorch's thread-local switch that the collector turns on.
 */
public final class Autograd {
    private Autograd() {}

    /** Whether operations on this thread are being recorded for backward. */
    public static boolean isRecording() {
        return ai.djl.pytorch.jni.JniUtils.isGradMode();
    }
}
