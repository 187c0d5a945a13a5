package org.rcnn4j.modeling.poolers;

import java.nio.FloatBuffer;

/**
 * Where RoIAlign's output values come from: for every RoI and output cell, the feature-map cells
 * its bilinear samples touch and their summed weights, computed in plain Java with
 * {@code torchvision.ops.roi_align}'s float32 arithmetic.
 *
 * <p>Sampling is separable: the samples of a bin form a {@code gridH × gridW} grid, a sample is
 * dropped when its y or x is outside {@code [-1, length]}, and its bilinear weight is a product of
 * a row weight and a column weight. So a cell's weight on map cell (y, x) is
 * {@code rowWeight(y) · colWeight(x)}, where each axis list sums the corner weights of its samples
 * over the distinct cells they touch, divided by the grid size. Merging the corners this way keeps
 * about {@code (gridH + 1)·(gridW + 1)} entries per output cell instead of {@code 4·gridH·gridW}.
 */
final class BilinearSampling {

    private final int outputHeight;
    private final int outputWidth;
    private final int width;
    /** Row lists: {@code rowIndex[r·outH + ph]} are map rows, {@code rowWeight} their weights. */
    private final int[][] rowIndex;
    private final float[][] rowWeight;
    /** Column lists: {@code colIndex[r·outW + pw]}, {@code colWeight}. */
    private final int[][] colIndex;
    private final float[][] colWeight;

    private BilinearSampling(PoolingInput in, int outputHeight, int outputWidth) {
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.width = in.width();
        this.rowIndex = new int[in.roiCount() * outputHeight][];
        this.rowWeight = new float[in.roiCount() * outputHeight][];
        this.colIndex = new int[in.roiCount() * outputWidth][];
        this.colWeight = new float[in.roiCount() * outputWidth][];
    }

    /**
     * Computes the row and column lists of every RoI.
     *
     * @param samplingRatio samples per bin and axis; {@code <= 0} for torchvision's adaptive
     *                      {@code ceil(roiSize / outputSize)}
     * @param aligned       subtract half a cell from the scaled corners (Detectron2's
     *                      {@code ROIAlignV2}); when false, RoIs are at least 1×1 cells
     */
    static BilinearSampling compute(PoolingInput in, float[] rois, float scale, int outputHeight,
            int outputWidth, int samplingRatio, boolean aligned) {
        BilinearSampling s = new BilinearSampling(in, outputHeight, outputWidth);
        float offset = aligned ? 0.5f : 0f;
        for (int r = 0; r < in.roiCount(); r++) {
            s.axis(rois[4 * r + 1], rois[4 * r + 3], scale, offset, aligned, samplingRatio,
                    in.height(), r * outputHeight, s.rowIndex, s.rowWeight);
            s.axis(rois[4 * r], rois[4 * r + 2], scale, offset, aligned, samplingRatio,
                    in.width(), r * outputWidth, s.colIndex, s.colWeight);
        }
        return s;
    }

    private void axis(float lo, float hi, float scale, float offset, boolean aligned, int samplingRatio,
            int length, int first, int[][] indexOut, float[][] weightOut) {
        int bins = indexOut == rowIndex ? outputHeight : outputWidth;
        float start = lo * scale - offset;
        float size = (hi * scale - offset) - start;
        if (!aligned) {
            size = Math.max(size, 1f);
        }
        float bin = size / bins;
        int grid = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(size / bins);
        int capacity = 2 * Math.max(grid, 0);
        for (int p = 0; p < bins; p++) {
            int[] index = new int[capacity];
            float[] weight = new float[capacity];
            int n = 0;
            for (int i = 0; i < grid; i++) {
                float pos = start + p * bin + (i + 0.5f) * bin / grid;
                // Written as !(inside) so that NaN positions count as outside.
                if (!(pos >= -1f && pos <= length)) {
                    continue;
                }
                pos = Math.max(pos, 0f);
                int low = (int) pos;
                int high;
                if (low >= length - 1) {
                    low = length - 1;
                    high = low;
                    pos = low;
                } else {
                    high = low + 1;
                }
                float l = pos - low;
                n = add(index, weight, n, low, 1f - l);
                n = add(index, weight, n, high, l);
            }
            int[] idx = new int[n];
            float[] w = new float[n];
            for (int j = 0; j < n; j++) {
                idx[j] = index[j];
                w[j] = weight[j] / grid;
            }
            indexOut[first + p] = idx;
            weightOut[first + p] = w;
        }
    }

    /** Adds weight {@code w} to cell {@code cell} of the list, merging repeats; zero weights are dropped. */
    private static int add(int[] index, float[] weight, int n, int cell, float w) {
        if (w == 0f) {
            return n;
        }
        for (int j = n - 1; j >= 0; j--) {
            if (index[j] == cell) {
                weight[j] += w;
                return n;
            }
        }
        index[n] = cell;
        weight[n] = w;
        return n + 1;
    }

    /** Entries per output cell of RoI {@code r}: the longest row list times the longest column list. */
    int entriesPerCell(int r) {
        int rows = 0;
        for (int p = 0; p < outputHeight; p++) {
            rows = Math.max(rows, rowIndex[r * outputHeight + p].length);
        }
        int cols = 0;
        for (int p = 0; p < outputWidth; p++) {
            cols = Math.max(cols, colIndex[r * outputWidth + p].length);
        }
        return rows * cols;
    }

    /**
     * Writes RoI {@code r}'s cells, {@code k} entries each (unused entries: cell 0, weight 0), in
     * row-major cell order from {@code offset}.
     *
     * @return the offset after the last entry written
     */
    int fill(int r, int k, long[] index, float[] weight, int offset) {
        for (int ph = 0; ph < outputHeight; ph++) {
            int[] ys = rowIndex[r * outputHeight + ph];
            float[] wys = rowWeight[r * outputHeight + ph];
            for (int pw = 0; pw < outputWidth; pw++) {
                int[] xs = colIndex[r * outputWidth + pw];
                float[] wxs = colWeight[r * outputWidth + pw];
                int j = 0;
                for (int a = 0; a < ys.length; a++) {
                    for (int b = 0; b < xs.length; b++, j++) {
                        index[offset + j] = (long) ys[a] * width + xs[b];
                        weight[offset + j] = wys[a] * wxs[b];
                    }
                }
                offset += k;
            }
        }
        return offset;
    }

    /**
     * RoIAlign's output computed in Java: for every RoI, channel and cell, the weighted sum of the map
     * cells its samples touch.
     *
     * @param cellMajor the map as {@code (H·W, C)} rows: the C values of one map cell side by side,
     *                  so the inner loop runs over contiguous memory
     * @param channels  C
     * @param out       receives the {@code (R, C, outH, outW)} values, row-major, from index 0
     */
    void pool(FloatBuffer cellMajor, int channels, FloatBuffer out) {
        int rois = rowIndex.length / outputHeight;
        int cells = outputHeight * outputWidth;
        float[] sum = new float[channels];
        float[] row = new float[channels];
        float[] roi = new float[channels * cells];
        for (int r = 0; r < rois; r++) {
            for (int ph = 0; ph < outputHeight; ph++) {
                int[] ys = rowIndex[r * outputHeight + ph];
                float[] wys = rowWeight[r * outputHeight + ph];
                for (int pw = 0; pw < outputWidth; pw++) {
                    int[] xs = colIndex[r * outputWidth + pw];
                    float[] wxs = colWeight[r * outputWidth + pw];
                    java.util.Arrays.fill(sum, 0f);
                    for (int a = 0; a < ys.length; a++) {
                        for (int b = 0; b < xs.length; b++) {
                            float w = wys[a] * wxs[b];
                            cellMajor.get((ys[a] * width + xs[b]) * channels, row, 0, channels);
                            for (int c = 0; c < channels; c++) sum[c] += w * row[c];
                        }
                    }
                    int cell = ph * outputWidth + pw;
                    for (int c = 0; c < channels; c++) roi[c * cells + cell] = sum[c];
                }
            }
            out.put(r * channels * cells, roi);
        }
    }
}
