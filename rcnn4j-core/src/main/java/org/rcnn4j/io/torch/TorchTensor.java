package org.rcnn4j.io.torch;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.rcnn4j.io.Float16;

/**
 * One tensor of a state dict, as torch keeps it: a view of a {@link Storage} given by an element
 * offset, a shape and a stride per dimension (element {@code [i0, i1, ...]} is storage element
 * {@code offset + i0*stride[0] + i1*stride[1] + ...}). Several tensors may view one storage, as a
 * parameter and its transpose do; the storage's bytes are held once.
 *
 * <p>{@link #toFloats()} and {@link #toLongs()} copy the values out contiguous and row-major (the
 * last dimension fastest), whatever the view's strides, so a tensor of shape {@code [O, I, kH, kW]}
 * comes out as torch's {@code t.contiguous().flatten()}. A 0-d tensor (shape {@code []}) has one
 * value; a tensor with a dimension of size 0 has none.
 */
public final class TorchTensor {
    /** The most elements a Java array holds. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Storage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;
    private final int numel;

    /** A view; {@link #viewProblem} must have found nothing wrong with it. */
    TorchTensor(Storage storage, long offset, long[] shape, long[] stride) {
        String problem = viewProblem(storage, offset, shape, stride);
        if (problem != null) throw new IllegalArgumentException(problem);
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
        this.numel = (int) product(shape);
    }

    /** The contiguous row-major view of a whole storage (the layout of every safetensors tensor). */
    static TorchTensor contiguous(Storage storage, long[] shape) {
        return new TorchTensor(storage, 0, shape, contiguousStride(shape));
    }

    /**
     * What is wrong with a view, in a few words, or null when every element it reaches lies inside
     * the storage and the values fit a Java array. Strides may be 0 (an expanded dimension).
     */
    static String viewProblem(Storage storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            return "shape " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride) + " differ in rank";
        }
        if (offset < 0) return "negative storage offset " + offset;
        long last = offset;
        try {
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0 || stride[d] < 0) {
                    return "negative size or stride: shape " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride);
                }
                if (shape[d] > 0) last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
            }
            long numel = product(shape);
            if (numel > MAX_ELEMENTS) return "shape " + Arrays.toString(shape) + " has more elements than a Java array holds";
            if (numel > 0 && last >= storage.numel()) {
                return "shape " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride) + " from offset "
                        + offset + " reaches element " + last + ", past the " + storage.numel() + " of storage "
                        + storage.key();
            }
        } catch (ArithmeticException e) {
            return "shape " + Arrays.toString(shape) + ", stride " + Arrays.toString(stride) + " overflow a 64-bit index";
        }
        return null;
    }

    /** The size of each dimension; empty for a 0-d tensor. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The storage's element type. */
    public DType dtype() {
        return storage.dtype();
    }

    /** The number of values: the product of the shape, 1 for a 0-d tensor. */
    public int numel() {
        return numel;
    }

    /**
     * The values, contiguous and row-major, converted to float: float16 and bfloat16 exactly, float64
     * and integers above 2^24 rounded to the nearest float, booleans as 0 and 1.
     */
    public float[] toFloats() {
        float[] out = new float[numel];
        ByteBuffer data = storage.data();
        DType t = dtype();
        FloatBuffer floats = t == DType.FLOAT32 ? data.asFloatBuffer() : null;
        forEachRow((start, step, count, at) -> {
            if (floats != null && step == 1) {
                floats.get(start, out, at, count);
                return;
            }
            for (int i = 0; i < count; i++) {
                int e = start + i * step;
                out[at + i] = switch (t) {
                    case FLOAT32 -> data.getFloat(e * 4);
                    case FLOAT16 -> Float16.toFloat(data.getShort(e * 2));
                    case BFLOAT16 -> Float.intBitsToFloat(data.getShort(e * 2) << 16);
                    case FLOAT64 -> (float) data.getDouble(e * 8);
                    default -> integerAt(data, t, e);
                };
            }
        });
        return out;
    }

    /**
     * The values of an integer or boolean tensor, contiguous and row-major; uint8 as 0..255,
     * booleans as 0 and 1.
     *
     * @throws IllegalStateException for a floating-point tensor (use {@link #toFloats()})
     */
    public long[] toLongs() {
        DType t = dtype();
        if (!t.isIntegral()) throw new IllegalStateException("toLongs() of a " + t + " tensor: use toFloats()");
        long[] out = new long[numel];
        ByteBuffer data = storage.data();
        forEachRow((start, step, count, at) -> {
            for (int i = 0; i < count; i++) out[at + i] = integerAt(data, t, start + i * step);
        });
        return out;
    }

    @Override
    public String toString() {
        return "TorchTensor[" + dtype() + " " + Arrays.toString(shape) + "]";
    }

    /** The storage this tensor views (shared with every other view of it). */
    Storage storage() {
        return storage;
    }

    /** The element offset of the first value in the storage. */
    long storageOffset() {
        return offset;
    }

    /** Elements to step in the storage per step along each dimension. */
    long[] stride() {
        return stride.clone();
    }

    private static long integerAt(ByteBuffer data, DType t, int e) {
        return switch (t) {
            case INT64 -> data.getLong(e * 8);
            case INT32 -> data.getInt(e * 4);
            case INT16 -> data.getShort(e * 2);
            case INT8 -> data.get(e);
            case UINT8 -> data.get(e) & 0xff;
            case BOOL -> data.get(e) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(t + " is not an integer type");
        };
    }

    /** A row: {@code count} storage elements from {@code start}, {@code step} apart, copied to {@code at} onwards. */
    @FunctionalInterface
    private interface Row {
        void copy(int start, int step, int count, int at);
    }

    /**
     * Walks the view's innermost rows in row-major order. Indices are validated to lie in a storage
     * of at most 2^31 bytes, so each element's index fits an int; the running position stays a long,
     * as a dimension of size 1 may carry any stride.
     */
    private void forEachRow(Row row) {
        if (numel == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            row.copy((int) offset, 0, 1, 0);
            return;
        }
        int count = (int) shape[rank - 1];
        int step = count == 1 ? 0 : (int) stride[rank - 1];
        long[] index = new long[rank - 1];
        long start = offset;
        for (int at = 0; at < numel; at += count) {
            row.copy((int) start, step, count, at);
            for (int d = rank - 2; d >= 0; d--) {
                start += stride[d];
                if (++index[d] < shape[d]) break;
                start -= stride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    private static long[] contiguousStride(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return stride;
    }
}
