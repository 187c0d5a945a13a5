package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Spatial pyramid pooling (He et al. 2014, "Spatial Pyramid Pooling in Deep Convolutional Networks
 * for Visual Recognition", §2.3 and Appendix A): a window of a conv map is max-pooled into
 * {@code n × n} bins for each pyramid level {@code n}, and the bins of all levels together make a
 * vector whose length does not depend on the window's size: {@code C · Σ n²} values, 50 bins per
 * channel for SPP-net's levels {6, 3, 2, 1} (12,800 values for ZF-5's 256 channels).
 *
 * <p><b>Window to cells</b> (Appendix A): with {@code S} the map's stride, a window's left and top
 * edges go to cell {@code ⌊x/S⌋ + 1} and its right and bottom edges to {@code ⌈x/S⌉ − 1}, in the
 * paper's 1-based pixels and cells, so that each corner lands on the cell whose receptive-field
 * centre is nearest to it. For a window of continuous corners {@code x1 < x2} (its first pixel is
 * 1-based {@code x1 + 1}, its last {@code x2}) that is 0-based cells {@code ⌊(x1 + 1)/S⌋} to
 * {@code ⌈x2/S⌉ − 2}, inclusive. A window narrower than that rule (left after right) takes the
 * cell midway between the two, as the reference code does; the window is then clamped to the map,
 * so it always covers at least one cell.
 *
 * <p><b>Bins</b> (§2.3): bin {@code i = 1..n} of a window {@code w} cells wide spans cells
 * {@code ⌊(i−1)w/n⌋} to {@code ⌈iw/n⌉} after the window's first, end exclusive, so every bin holds at
 * least one cell and neighbouring bins overlap by a cell when {@code n} does not divide {@code w}.
 * Max pooling, ties to the first maximum in row-major order, NaN never the maximum (as {@link
 * RoIPool}); the backward follows the argmax switches ({@link MaxPoolGather}).
 *
 * <p><b>Output layout.</b> As a {@link RoIPooler}: {@code (R, C, B, 1)} with {@code B = Σ n²}, the
 * levels in the given order, each level's bins row by row: a one-column "grid" of the pyramid's
 * bins, so that a head that flattens its input sees {@code C·B} values. For a classification
 * network, {@link #poolImages} pools whole maps into {@code (N, C·B)} (§2.2: the last pooling layer
 * of a network trained on images of any size).
 */
public final class SpatialPyramidPooling implements RoIPooler {

    /** SPP-net's detection pyramid (§3.1 and Appendix A): 6×6, 3×3, 2×2 and 1×1, 50 bins. */
    public static final List<Integer> DEFAULT_LEVELS = List.of(6, 3, 2, 1);

    private final int[] levels;
    private final int bins;

    /** SPP-net's pyramid, {@link #DEFAULT_LEVELS}. */
    public SpatialPyramidPooling() {
        this(DEFAULT_LEVELS);
    }

    /**
     * @param levels bins per side of each level, each at least 1, in output order
     * @throws IllegalArgumentException if {@code levels} is empty or holds a value below 1
     */
    public SpatialPyramidPooling(List<Integer> levels) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("spatial pyramid needs at least one level");
        }
        this.levels = new int[levels.size()];
        int total = 0;
        for (int i = 0; i < this.levels.length; i++) {
            int n = levels.get(i);
            if (n < 1) {
                throw new IllegalArgumentException("pyramid level must be at least 1x1, got " + n);
            }
            this.levels[i] = n;
            total += n * n;
        }
        this.bins = total;
    }

    /** Bins per side of each level, in output order. */
    public List<Integer> levels() {
        return java.util.Arrays.stream(levels).boxed().toList();
    }

    /** Bins per channel, {@code Σ n²} (50 for SPP-net's pyramid). */
    public int bins() {
        return bins;
    }

    /** {@inheritDoc} The number of bins: the pyramid is laid out as one column. */
    @Override
    public int outputHeight() {
        return bins;
    }

    @Override
    public int outputWidth() {
        return 1;
    }

    /**
     * {@inheritDoc} Each window is mapped onto cells by Appendix A's rule with {@code S =
     * 1/spatialScale}, then pooled by the pyramid.
     *
     * @return {@code (R, C, B, 1)}, B = {@link #bins()}
     */
    @Override
    public NDArray pool(NDManager manager, NDArray features, float[] rois, float spatialScale) {
        PoolingInput in = PoolingInput.check(features, rois, spatialScale);
        double[] values = MaxPoolGather.readValues(features);
        int[] rows = new int[2];
        int[] cols = new int[2];
        BinEdges edges = new BinEdges();
        Shape outShape = new Shape(in.roiCount(), in.channels(), bins, 1);
        int perWindow = in.channels() * bins;
        boolean gather = gathers(features);
        long[] sources = gather ? new long[in.roiCount() * perWindow] : null;
        float[] maxima = gather ? null : new float[in.roiCount() * perWindow];
        boolean usesConstants = false;
        for (int r = 0; r < in.roiCount(); r++) {
            windowCells(rois[4 * r + 1], rois[4 * r + 3], spatialScale, in.height(), rows);
            windowCells(rois[4 * r], rois[4 * r + 2], spatialScale, in.width(), cols);
            edges.fill(rows, cols);
            usesConstants |= edges.argmax(values, 0, in, sources, maxima, r * perWindow);
        }
        return gather ? MaxPoolGather.gather(manager, features, values, sources, usesConstants, outShape)
                : manager.create(maxima, outShape);
    }

    /**
     * Whether the output must be a differentiable gather; otherwise (inference on float32) the
     * maxima are written directly, without the index array of the gather, which for thousands of
     * windows of a wide map is the larger of the two.
     */
    private static boolean gathers(NDArray features) {
        return org.rcnn4j.modeling.Autograd.isRecording() || features.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32;
    }

    /**
     * Pools each whole map of a batch: the last pooling layer of a classification network, whose
     * output length does not depend on the input size (§2.2). The bins are the detection rule's over
     * the whole map; the paper's pre-training ran each level as a sliding-window pooling of window
     * ⌈a/n⌉ and stride ⌊a/n⌋ on an a×a map: the same bins for 13×13 and n = 6, but on 10×10 its six
     * windows cover cells 0 to 6 and leave the last three out, which these bins never do.
     *
     * @param manager the result's manager, and that of what its backward reads
     * @param maps    {@code (N, C, H, W)}, float32 or float64, H and W at least 1; may require a
     *                gradient
     * @return {@code (N, C·B)}, channel-major (each channel's B bins together), differentiable with
     *         respect to {@code maps}
     */
    public NDArray poolImages(NDManager manager, NDArray maps) {
        Shape shape = maps.getShape();
        if (shape.dimension() != 4 || shape.get(2) < 1 || shape.get(3) < 1) {
            throw new IllegalArgumentException("maps must be (N, C, H, W) with H, W >= 1, got " + shape);
        }
        int n = Math.toIntExact(shape.get(0));
        PoolingInput in = new PoolingInput(Math.toIntExact(shape.get(1)), Math.toIntExact(shape.get(2)),
                Math.toIntExact(shape.get(3)), n);
        double[] values = MaxPoolGather.readValues(maps);
        BinEdges edges = new BinEdges();
        edges.fill(new int[] {0, in.height() - 1}, new int[] {0, in.width() - 1});
        int perImage = in.channels() * bins;
        boolean gather = gathers(maps);
        long[] sources = gather ? new long[n * perImage] : null;
        float[] maxima = gather ? null : new float[n * perImage];
        boolean usesConstants = false;
        long imageSize = (long) in.channels() * in.area();
        for (int i = 0; i < n; i++) {
            usesConstants |= edges.argmax(values, Math.toIntExact(i * imageSize), in, sources, maxima, i * perImage);
        }
        Shape outShape = new Shape(n, perImage);
        return gather ? MaxPoolGather.gather(manager, maps, values, sources, usesConstants, outShape)
                : manager.create(maxima, outShape);
    }

    /**
     * Appendix A's mapping of one axis of a window onto map cells, clamped to the map.
     *
     * @param lo     the window's left (top) edge, continuous input pixels
     * @param hi     its right (bottom) edge
     * @param scale  cells per pixel, {@code 1/S}
     * @param length the map's cells along the axis
     * @param out    receives the first and last cell, 0-based and inclusive; first ≤ last
     */
    static void windowCells(float lo, float hi, float scale, int length, int[] out) {
        int first = (int) Math.floor((lo + 1) * (double) scale);
        int last = (int) Math.ceil(hi * (double) scale) - 2;
        if (first > last) {
            first = Math.floorDiv(first + last, 2);
            last = first;
        }
        out[0] = Math.min(Math.max(first, 0), length - 1);
        out[1] = Math.min(Math.max(last, 0), length - 1);
    }

    /** The pyramid's bins over one window: cell ranges, end exclusive, in output order. */
    private final class BinEdges {
        private final int[] rowStart = new int[bins];
        private final int[] rowEnd = new int[bins];
        private final int[] colStart = new int[bins];
        private final int[] colEnd = new int[bins];

        /** Lays the bins over rows {@code rows[0]..rows[1]} and columns {@code cols[0]..cols[1]}. */
        void fill(int[] rows, int[] cols) {
            int h = rows[1] - rows[0] + 1;
            int w = cols[1] - cols[0] + 1;
            int b = 0;
            for (int n : levels) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        rowStart[b] = rows[0] + i * h / n;
                        rowEnd[b] = rows[0] + ceilDiv((i + 1) * h, n);
                        colStart[b] = cols[0] + j * w / n;
                        colEnd[b] = cols[0] + ceilDiv((j + 1) * w, n);
                        b++;
                    }
                }
            }
        }

        /**
         * Writes the argmax of every (channel, bin) of the image whose values start at
         * {@code imageBase} into {@code sources[out..]}, or, when {@code sources} is null, the
         * maximum itself into {@code maxima[out..]} ({@code -Float.MAX_VALUE} for a bin without a
         * value above it).
         *
         * @return whether a bin had no value above {@code -Float.MAX_VALUE}
         */
        boolean argmax(double[] values, int imageBase, PoolingInput in, long[] sources, float[] maxima, int out) {
            boolean usesConstants = false;
            long lowestSlot = MaxPoolGather.lowestSlot(values);
            for (int c = 0; c < in.channels(); c++) {
                int base = imageBase + c * in.area();
                for (int b = 0; b < bins; b++) {
                    long best = MaxPoolGather.argmaxInBin(values, base, in.width(),
                            rowStart[b], rowEnd[b], colStart[b], colEnd[b]);
                    if (best < 0) {
                        best = lowestSlot;
                        usesConstants = true;
                    }
                    if (sources != null) {
                        sources[out++] = best;
                    } else {
                        maxima[out++] = best == lowestSlot ? -Float.MAX_VALUE : (float) values[(int) best];
                    }
                }
            }
            return usesConstants;
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
