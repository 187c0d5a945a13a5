package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.rcnn4j.modeling.Autograd;

/**
 * The shared second half of the max poolers ({@link RoIPool}, {@link SpatialPyramidPooling}):
 * once plain Java has found every output's argmax in the map, the output is one gather of those
 * elements. Its backward scatters each output gradient onto its argmax element and accumulates
 * where one element wins several bins (the argmax-switch rule, Fast R-CNN §2.3; SPP-net's pooling
 * back-propagates the same way).
 *
 * <p>Sources index the flattened map, {@code C·H·W} values per image; two constants are appended
 * after them: {@link #zeroSlot} (an empty bin: 0, no gradient) and {@link #lowestSlot} (a bin with
 * no value above {@code -Float.MAX_VALUE}: {@code -Float.MAX_VALUE}, no gradient).
 */
final class MaxPoolGather {

    private MaxPoolGather() {
    }

    /** The map's values, once per call; float32 widens exactly, so comparisons are unchanged. */
    static double[] readValues(NDArray features) {
        if (features.getDataType() == DataType.FLOAT64) {
            return features.toDoubleArray();
        }
        float[] floats = features.toType(DataType.FLOAT32, false).toFloatArray();
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }

    /** The source index of an empty bin: the appended 0. */
    static long zeroSlot(double[] values) {
        return values.length;
    }

    /** The source index of a bin without a value above {@code -Float.MAX_VALUE}. */
    static long lowestSlot(double[] values) {
        return values.length + 1L;
    }

    /**
     * Flat index of the first maximum above {@code -Float.MAX_VALUE} among rows {@code [h0, h1)}
     * and columns {@code [w0, w1)} of the channel starting at {@code base}, or -1: the first
     * maximum in row-major order wins a tie, and NaN is never the maximum.
     */
    static long argmaxInBin(double[] values, int base, int width, int h0, int h1, int w0, int w1) {
        double max = -Float.MAX_VALUE;
        long best = -1;
        for (int h = h0; h < h1; h++) {
            int row = base + h * width;
            for (int w = w0; w < w1; w++) {
                if (values[row + w] > max) {
                    max = values[row + w];
                    best = row + w;
                }
            }
        }
        return best;
    }

    /**
     * {@code features.flatten()[sources]} shaped {@code outShape}, with the two constants after the
     * map's values.
     *
     * @param manager        the result's manager, and that of everything its backward reads
     * @param features       the map {@code values} was read from
     * @param usesConstants  whether any source is one of the appended constants
     */
    static NDArray gather(NDManager manager, NDArray features, double[] values, long[] sources,
            boolean usesConstants, Shape outShape) {
        if (!Autograd.isRecording() && features.getDataType() == DataType.FLOAT32) {
            // Inference: nothing will differentiate through the map, and the maxima are already
            // known here, so one copy replaces the native gather.
            return manager.create(gatherInJava(values, sources), outShape);
        }
        // Everything the gather's backward reads (the index above all) stays in the caller's
        // manager: DJL frees an array's memory on close even while autograd still refers to it.
        NDArray source = features.reshape(-1);
        source.attach(manager);
        if (usesConstants) {
            NDArray constants = manager.create(new float[] {0f, -Float.MAX_VALUE})
                    .toType(features.getDataType(), false);
            source = source.concat(constants);
            source.attach(manager);
        }
        NDArray index = manager.create(sources, outShape);
        return source.take(manager, index);
    }

    /** {@code values[sources[i]]}, with the two appended constants (0, then -Float.MAX_VALUE). */
    private static float[] gatherInJava(double[] values, long[] sources) {
        long zeroSlot = zeroSlot(values);
        float[] out = new float[sources.length];
        for (int i = 0; i < out.length; i++) {
            long s = sources[i];
            out[i] = s < zeroSlot ? (float) values[(int) s] : s == zeroSlot ? 0f : -Float.MAX_VALUE;
        }
        return out;
    }
}
