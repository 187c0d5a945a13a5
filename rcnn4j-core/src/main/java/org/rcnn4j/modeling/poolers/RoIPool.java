package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RoI max pooling (Fast R-CNN, Girshick 2015, §2.1): each RoI is cut into an
 * {@code outH × outW} grid of sub-windows of about {@code h/outH × w/outW} cells and each
 * sub-window is max-pooled, channel by channel. Fast R-CNN uses 7×7 (§2.2, VGG16's pool5).
 *
 * <p><b>Semantics</b> are those of {@code torchvision.ops.roi_pool} (and of the original Caffe
 * layer it follows), so that models and numbers carry over:
 * <ul>
 *   <li>RoI corners are scaled by {@code spatialScale} and rounded half away from zero to cells;
 *       the end cell is inclusive, so the RoI spans {@code max(end - start + 1, 1)} cells per axis
 *       (a malformed RoI becomes 1×1);</li>
 *   <li>bin {@code p} of an axis with bin size {@code b = size / out} covers cells
 *       {@code [floor(p·b), ceil((p+1)·b))} after the RoI start, clamped to the map, so neighbouring
 *       bins may overlap by a cell;</li>
 *   <li>the first maximum in row-major order wins a tie; NaN values are never the maximum;</li>
 *   <li>an empty bin (wholly outside the map) outputs 0 and receives no gradient; a non-empty bin
 *       with no value above {@code -Float.MAX_VALUE} (all NaN or -∞) outputs
 *       {@code -Float.MAX_VALUE} and receives no gradient.</li>
 * </ul>
 *
 * <p><b>How.</b> The argmax of every (RoI, channel, bin) is found in plain Java on the map's
 * values (read once per call), then the output is one {@code take} from the flattened map
 * ({@link MaxPoolGather}, shared with {@link SpatialPyramidPooling}). Its
 * backward scatters each output gradient onto its argmax element, accumulating where one element
 * wins several bins: the argmax-switch rule of Fast R-CNN §2.3. Empty bins point at a constant
 * 0 appended to the map, so they get no gradient.
 */
public final class RoIPool implements RoIPooler {

    /** Fast R-CNN's grid for VGG16 (§2.2): 7×7. */
    public static final int DEFAULT_OUTPUT_SIZE = 7;

    private final int outputHeight;
    private final int outputWidth;

    /** A 7×7 RoI max pooling. */
    public RoIPool() {
        this(DEFAULT_OUTPUT_SIZE, DEFAULT_OUTPUT_SIZE);
    }

    /**
     * @param outputHeight rows of the output grid, at least 1
     * @param outputWidth  columns of the output grid, at least 1
     */
    public RoIPool(int outputHeight, int outputWidth) {
        PoolingInput.checkGrid(outputHeight, outputWidth);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
    }

    @Override
    public int outputHeight() {
        return outputHeight;
    }

    @Override
    public int outputWidth() {
        return outputWidth;
    }

    /** {@inheritDoc} The gradient follows the argmax switches (Fast R-CNN §2.3). */
    @Override
    public NDArray pool(NDManager manager, NDArray features, float[] rois, float spatialScale) {
        PoolingInput in = PoolingInput.check(features, rois, spatialScale);
        double[] values = MaxPoolGather.readValues(features);
        long[] sources = new long[in.roiCount() * in.channels() * outputHeight * outputWidth];
        boolean usesConstants = findArgmax(values, in, rois, spatialScale, sources);
        Shape outShape = new Shape(in.roiCount(), in.channels(), outputHeight, outputWidth);
        return MaxPoolGather.gather(manager, features, values, sources, usesConstants, outShape);
    }

    /**
     * Fills {@code sources[((r·C + c)·outH + ph)·outW + pw]} with the flat map index of that bin's
     * maximum, {@code C·H·W} for an empty bin (the appended 0) and {@code C·H·W + 1} for a bin
     * without a value above {@code -Float.MAX_VALUE}.
     *
     * @return whether any bin points at the appended constants
     */
    private boolean findArgmax(double[] values, PoolingInput in, float[] rois, float scale, long[] sources) {
        int bins = outputHeight * outputWidth;
        int area = in.area();
        long zeroSlot = MaxPoolGather.zeroSlot(values);
        long lowestSlot = MaxPoolGather.lowestSlot(values);
        int[] rowStart = new int[outputHeight];
        int[] rowEnd = new int[outputHeight];
        int[] colStart = new int[outputWidth];
        int[] colEnd = new int[outputWidth];
        boolean usesConstants = false;
        int out = 0;
        for (int r = 0; r < in.roiCount(); r++) {
            binEdges(rois[4 * r + 1], rois[4 * r + 3], scale, in.height(), rowStart, rowEnd);
            binEdges(rois[4 * r], rois[4 * r + 2], scale, in.width(), colStart, colEnd);
            for (int c = 0; c < in.channels(); c++) {
                int base = c * area;
                for (int b = 0; b < bins; b++) {
                    int ph = b / outputWidth;
                    int pw = b % outputWidth;
                    long best = MaxPoolGather.argmaxInBin(values, base, in.width(),
                            rowStart[ph], rowEnd[ph], colStart[pw], colEnd[pw]);
                    if (best < 0) {
                        best = rowEnd[ph] <= rowStart[ph] || colEnd[pw] <= colStart[pw] ? zeroSlot : lowestSlot;
                        usesConstants = true;
                    }
                    sources[out++] = best;
                }
            }
        }
        return usesConstants;
    }

    /**
     * Bin edges along one axis, as cell indices clamped to {@code [0, length]}: bin {@code p}
     * covers {@code [start[p], end[p])}.
     */
    private static void binEdges(float lo, float hi, float scale, int length, int[] start, int[] end) {
        int first = roundHalfAway(lo * scale);
        int last = roundHalfAway(hi * scale);
        int size = Math.max(last - first + 1, 1);
        float bin = (float) size / start.length;
        for (int p = 0; p < start.length; p++) {
            int s = (int) Math.floor(p * bin) + first;
            int e = (int) Math.ceil((p + 1) * bin) + first;
            start[p] = Math.min(Math.max(s, 0), length);
            end[p] = Math.min(Math.max(e, 0), length);
        }
    }

    /** C's {@code round}: halves go away from zero (Java's {@code Math.round} sends -2.5 to -2). */
    static int roundHalfAway(float v) {
        return v >= 0 ? Math.round(v) : -Math.round(-v);
    }
}
