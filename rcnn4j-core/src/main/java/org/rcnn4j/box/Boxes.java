package org.rcnn4j.box;

import java.util.Arrays;

/**
 * Small operations on flat box arrays (4N floats, rows {@code x1 y1 x2 y2}; see the package
 * javadoc), the Java counterparts of torchvision's {@code ops/boxes.py}.
 *
 * <p>All methods use the continuous pixel convention ({@code w = x2 - x1}) unless they say
 * otherwise, and none allocates per box pair.
 */
public final class Boxes {

    private Boxes() {}

    /**
     * The number of boxes N in a flat array.
     *
     * @param boxes 4N floats
     * @return N
     * @throws IllegalArgumentException if the length is not a multiple of 4
     */
    public static int count(float[] boxes) {
        if (boxes.length % 4 != 0) {
            throw new IllegalArgumentException("box array length " + boxes.length + " is not a multiple of 4");
        }
        return boxes.length / 4;
    }

    /**
     * Box areas, continuous convention: {@code max(0, x2 - x1) * max(0, y2 - y1)}. A degenerate box
     * (x2 &lt; x1 or y2 &lt; y1) has area 0, never a negative or spurious positive area. A NaN
     * coordinate gives a NaN area.
     *
     * @param boxes N boxes, 4N floats
     * @return N areas in square pixels
     */
    public static float[] area(float[] boxes) {
        int n = count(boxes);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = area(boxes, i);
        }
        return out;
    }

    /** The area of row {@code i}, as {@link #area(float[])}. */
    static float area(float[] boxes, int i) {
        int o = 4 * i;
        return Math.max(0f, boxes[o + 2] - boxes[o]) * Math.max(0f, boxes[o + 3] - boxes[o + 1]);
    }

    /**
     * Pairwise intersection over union, continuous convention ({@code w = x2 - x1}; boxes that only
     * touch along an edge have IoU 0).
     *
     * <p>IoU = inter / (areaA + areaB - inter). When the union is 0 (two degenerate or zero-area
     * boxes) the IoU is 0, never NaN. A box with a NaN coordinate has NaN IoU with every box;
     * infinite coordinates follow IEEE arithmetic (an infinite box against itself gives NaN).
     *
     * @param a N boxes, 4N floats
     * @param b M boxes, 4M floats
     * @return the N×M matrix, row-major: {@code iou[i * M + j]} is IoU(a_i, b_j), in [0, 1]
     */
    public static float[] iou(float[] a, float[] b) {
        int n = count(a);
        int m = count(b);
        float[] areaA = area(a);
        float[] areaB = area(b);
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            float ax1 = a[4 * i];
            float ay1 = a[4 * i + 1];
            float ax2 = a[4 * i + 2];
            float ay2 = a[4 * i + 3];
            float aa = areaA[i];
            int row = i * m;
            for (int j = 0; j < m; j++) {
                float iw = Math.min(ax2, b[4 * j + 2]) - Math.max(ax1, b[4 * j]);
                float ih = Math.min(ay2, b[4 * j + 3]) - Math.max(ay1, b[4 * j + 1]);
                float inter = Math.max(0f, iw) * Math.max(0f, ih);
                out[row + j] = ratio(inter, aa + areaB[j] - inter);
            }
        }
        return out;
    }

    /** inter / union, with 0 (not NaN) for an empty union and NaN kept for NaN input. */
    static float ratio(float inter, float union) {
        if (union > 0f) {
            return inter / union;
        }
        return Float.isNaN(union) ? Float.NaN : 0f;
    }

    /**
     * Clips boxes to the image, <b>in place</b>: x to [0, width], y to [0, height] (continuous
     * convention, so the right edge of the last pixel column is {@code width}). NaN coordinates stay
     * NaN; infinities are clipped to the border.
     *
     * @param boxes  N boxes, 4N floats, modified
     * @param width  image width in pixels
     * @param height image height in pixels
     * @return {@code boxes} itself, for chaining
     */
    public static float[] clip(float[] boxes, int width, int height) {
        int n = count(boxes);
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            boxes[o] = clamp(boxes[o], width);
            boxes[o + 1] = clamp(boxes[o + 1], height);
            boxes[o + 2] = clamp(boxes[o + 2], width);
            boxes[o + 3] = clamp(boxes[o + 3], height);
        }
        return boxes;
    }

    private static float clamp(float v, float hi) {
        // Math.max/min propagate NaN, as clip's javadoc documents.
        return Math.min(Math.max(v, 0f), hi);
    }

    /**
     * Indices of boxes at least {@code minSize} wide and high, continuous convention
     * ({@code x2 - x1 >= minSize && y2 - y1 >= minSize}; torchvision's {@code remove_small_boxes}).
     * Boxes with a NaN coordinate are removed.
     *
     * @param boxes   N boxes, 4N floats
     * @param minSize minimum width and height in pixels
     * @return kept indices, ascending
     */
    public static int[] removeSmall(float[] boxes, float minSize) {
        int n = count(boxes);
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            // Written as "w >= min" so that NaN compares false and the box is dropped.
            if (boxes[o + 2] - boxes[o] >= minSize && boxes[o + 3] - boxes[o + 1] >= minSize) {
                keep[k++] = i;
            }
        }
        return Arrays.copyOf(keep, k);
    }

    /**
     * The boxes at the given indices, in the order given (repeats allowed).
     *
     * @param boxes N boxes, 4N floats
     * @param idx   indices into 0..N-1
     * @return {@code idx.length} boxes, a new array
     */
    public static float[] select(float[] boxes, int[] idx) {
        count(boxes);
        return selectRows(boxes, 4, idx);
    }

    /**
     * Rows of a row-major matrix at the given indices, e.g. R×4K class-specific deltas.
     *
     * @param data a matrix with {@code cols} columns
     * @param cols the row length (positive)
     * @param idx  row indices
     * @return {@code idx.length} rows, a new array
     */
    public static float[] selectRows(float[] data, int cols, int[] idx) {
        if (cols <= 0 || data.length % cols != 0) {
            throw new IllegalArgumentException("array length " + data.length + " is not a multiple of " + cols);
        }
        float[] out = new float[idx.length * cols];
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(data, idx[k] * cols, out, k * cols, cols);
        }
        return out;
    }

    /**
     * Elements of a vector at the given indices, e.g. the scores of kept boxes.
     *
     * @param values N values
     * @param idx    indices into 0..N-1
     * @return {@code idx.length} values, a new array
     */
    public static float[] gather(float[] values, int[] idx) {
        float[] out = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = values[idx[k]];
        }
        return out;
    }

    /** Elements of an int vector at the given indices (e.g. the classes of kept boxes). */
    public static int[] gather(int[] values, int[] idx) {
        int[] out = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = values[idx[k]];
        }
        return out;
    }

    /**
     * Concatenates box arrays (e.g. the anchors or proposals of several FPN levels).
     *
     * @param parts arrays of 4N_i floats each
     * @return one array of 4·ΣN_i floats, parts in order
     */
    public static float[] concat(float[]... parts) {
        int total = 0;
        for (float[] p : parts) {
            total += p.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * Converts inclusive-pixel boxes ({@code w = x2 - x1 + 1}, py-faster-rcnn and VOC after
     * subtracting 1 from the 1-based corners) to the continuous convention by adding 1 to x2 and y2.
     *
     * @param boxes N boxes in the inclusive convention, 4N floats (not modified)
     * @return a new array of N continuous boxes
     */
    public static float[] fromInclusive(float[] boxes) {
        int n = count(boxes);
        float[] out = boxes.clone();
        for (int i = 0; i < n; i++) {
            out[4 * i + 2] += 1f;
            out[4 * i + 3] += 1f;
        }
        return out;
    }
}
