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

    /**
     * Runs {@code work} with recording off on this thread, then puts the thread's state back.
     * libtorch starts every new thread with grad mode on, and DJL turns it off only on the thread
     * that loads the engine: a detection on a thread of a caller's pool would otherwise record a
     * backward graph it never uses (more memory, and the RoI poolers' slower differentiable path).
     */
    public static <T> T withoutRecording(java.util.function.Supplier<T> work) {
        boolean recording = isRecording();
        if (recording) ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            if (recording) ai.djl.pytorch.jni.JniUtils.setGradMode(true);
        }
    }
}
