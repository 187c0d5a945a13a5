package org.rcnn4j.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.rcnn4j.preprocess.DetectionBatch;

/**
 * Float32 arrays read and written in Java through a view of their native memory, without a copy on
 * the Java heap.
 *
 * <p>{@link NDArray#toFloatArray()} copies an array twice onto the Java heap (bytes, then floats),
 * and {@link NDManager#create(float[], Shape)} copies a Java array into a direct buffer that only a
 * garbage collection frees. For the per-image feature maps the poolers sum in Java (41 MB for an
 * FPN's P2 at 800 × 800) that garbage made the JVM's heap and direct buffers hold about 300 MB more
 * than torchvision's process during detection (issue 19, bench/results/memory.md). A view instead
 * reads libtorch's own memory, which is freed when its array is closed.
 */
public final class NativeFloats {
    private NativeFloats() {}

    /**
     * A read view of {@code array}'s values in row-major order. A non-contiguous array (a transpose)
     * is first made contiguous by libtorch, in a new array attached to {@code array}'s manager: the
     * view is valid until that manager closes, so give {@code array} a short-lived manager.
     *
     * @param array a float32 array on the CPU, at least one element
     */
    public static FloatBuffer read(NDArray array) {
        check(array);
        return array.toByteBuffer(true).asFloatBuffer();
    }

    /**
     * A new float32 array of {@code shape} in {@code manager} with its values uninitialised, and a
     * view to write them, valid until the array is closed.
     *
     * @param shape at least one element
     */
    public static Writable allocate(NDManager manager, Shape shape) {
        if (shape.size() < 1) throw new IllegalArgumentException("a native view needs at least one element, got " + shape);
        NDArray array = manager.create(shape, DataType.FLOAT32);
        return new Writable(array, array.toByteBuffer(true).asFloatBuffer());
    }

    /**
     * A new float32 array of {@code shape} in {@code manager} holding {@code values}, copied once into
     * libtorch's memory. {@link NDManager#create(float[], Shape)} first copies into a new direct
     * buffer, which the JVM allocates afresh for each call and the kernel maps one page at a time
     * on first touch: for an 800 × 1088 input image (10 MB) that took about 35 ms on the 2-core
     * machine, where an allocation from libtorch's allocator (glibc's malloc, which reuses freed
     * memory) and one copy take about 1 ms.
     *
     * @param values as many values as {@code shape} holds, row-major; at least one
     */
    public static NDArray copyOf(NDManager manager, float[] values, Shape shape) {
        if (values.length != shape.size()) throw new IllegalArgumentException(values.length + " values for shape " + shape);
        Writable w = allocate(manager, shape);
        w.values().put(values);
        return w.array();
    }

    /** A batch's pixels as the network takes them: {@link #copyOf} into an (N, 3, H, W) array of {@code manager}. */
    public static NDArray input(NDManager manager, DetectionBatch batch) {
        return copyOf(manager, batch.pixels(), new Shape(batch.shape()));
    }

    /**
     * Overwrites every value of {@code array} in place through a view of its memory. Unlike
     * {@link NDArray#set(java.nio.Buffer)}, this makes no libtorch call, so it neither copies the
     * values into a direct buffer first nor prints libtorch's {@code AutoNonVariableTypeMode is
     * deprecated} warning, which setting a parameter that requires gradients does.
     *
     * @param array a contiguous float32 array: one DJL created (a parameter), not a view
     * @param values as many values as the array holds, row-major
     */
    public static void overwrite(NDArray array, float[] values) {
        check(array);
        if (values.length != array.getShape().size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + array.getShape());
        }
        array.toByteBuffer(true).asFloatBuffer().put(values);
    }

    /** An array and the view through which its values are written. */
    public record Writable(NDArray array, FloatBuffer values) {}

    private static void check(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("a float view needs float32, got " + array.getDataType());
        }
        if (array.getShape().size() < 1) throw new IllegalArgumentException("a native view needs at least one element, got " + array.getShape());
    }
}
