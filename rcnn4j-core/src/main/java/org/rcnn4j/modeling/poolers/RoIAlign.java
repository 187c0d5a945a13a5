package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import org.rcnn4j.modeling.NativeFloats;
import java.util.List;
import java.util.TreeMap;

/**
 * RoIAlign (Mask R-CNN, He et al. 2017, §3): each RoI bin is the average of bilinearly
 * interpolated samples at regularly spaced points, with no rounding of the RoI or its bins.
 *
 * <p><b>Semantics</b> are those of {@code torchvision.ops.roi_align}: corners scaled by
 * {@code spatialScale} and, when {@code aligned}, shifted by half a cell (Detectron2's default);
 * without {@code aligned} a RoI is at least 1×1 cell. A bin holds {@code gridH × gridW} samples
 * ({@code samplingRatio}, or {@code ceil(roiSize / outputSize)} when it is {@code <= 0}) at
 * {@code start + (i + 0.5)·bin/grid}; a sample with y or x outside {@code [-1, length]} counts as
 * 0, coordinates below 0 clamp to 0 and those past the last cell to the last cell; the bin is the
 * sum over samples divided by {@code gridH·gridW}. An inverted aligned RoI with adaptive sampling
 * has no samples and gives 0.
 *
 * <p><b>How.</b> {@link BilinearSampling} computes in Java, for every output cell, the map cells
 * its samples touch and their weights (K entries per cell); the weights do not depend on the
 * channel. The map, viewed as {@code (H·W, C)} rows, is gathered by one index of K entries per cell,
 * and one batched matrix product with the weights sums each cell's K rows. Its backward
 * scatter-adds whole rows into the map's gradient. RoIs are grouped by their entry count K (rounded
 * up to 1, 2, 3, 4, 6, 8, 12, …) so that small RoIs are not padded to the largest RoI's K; a few
 * buckets cost a few native calls, never one per RoI. Measured on the shared 2-core machine
 * (C = 256, 38×50, R = 300, 7×7, forward + backward; bench/results/roi_pooling.md, 2026-11-23,
 * commit 28d8f5a) against the alternatives, this was the fastest: a separate multiply and sum instead
 * of the batched product was ~1.1× slower (one more pass over the {@code (cells·K, C)} intermediate),
 * gathering columns of the {@code (C, H·W)} map ~1.1× at R = 128 and ~5× at R = 300 (strided reads;
 * the backward scatters columns), padding every RoI to the largest K ~9×, and a flat {@code take} of
 * every (channel, entry) value, whose index is C times larger, ~30×.
 *
 * <p>When autograd is not recording ({@link org.rcnn4j.modeling.Autograd#isRecording()}: inference)
 * the sums are done in Java by {@link BilinearSampling#pool}, which reads each map value it needs
 * once per output cell instead of materialising the gather.
 */
public final class RoIAlign implements RoIPooler {

    private final int outputHeight;
    private final int outputWidth;
    private final int samplingRatio;
    private final boolean aligned;

    /** Detectron2's default box-head pooler: 7×7, adaptive sampling, {@code aligned = true}. */
    public RoIAlign() {
        this(7, 7, 0, true);
    }

    /**
     * @param outputHeight  rows of the output grid, at least 1
     * @param outputWidth   columns of the output grid, at least 1
     * @param samplingRatio samples per bin and axis; {@code <= 0} for adaptive
     *                      {@code ceil(roiSize / outputSize)} as torchvision
     * @param aligned       shift RoI corners by -0.5 cell so that a continuous box maps to the
     *                      cells it covers (Detectron2 {@code ROIAlignV2}); false reproduces the
     *                      original Mask R-CNN layer
     */
    public RoIAlign(int outputHeight, int outputWidth, int samplingRatio, boolean aligned) {
        PoolingInput.checkGrid(outputHeight, outputWidth);
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        this.samplingRatio = samplingRatio;
        this.aligned = aligned;
    }

    @Override
    public int outputHeight() {
        return outputHeight;
    }

    @Override
    public int outputWidth() {
        return outputWidth;
    }

    /** Samples per bin and axis, {@code <= 0} for adaptive. */
    public int samplingRatio() {
        return samplingRatio;
    }

    /** Whether corners are shifted by half a cell. */
    public boolean aligned() {
        return aligned;
    }

    /** {@inheritDoc} Sample positions use float32 arithmetic, as torchvision for float32 maps. */
    @Override
    public NDArray pool(NDManager manager, NDArray features, float[] rois, float spatialScale) {
        PoolingInput in = PoolingInput.check(features, rois, spatialScale);
        BilinearSampling sampling = BilinearSampling.compute(
                in, rois, spatialScale, outputHeight, outputWidth, samplingRatio, aligned);
        if (!org.rcnn4j.modeling.Autograd.isRecording() && features.getDataType() == DataType.FLOAT32) {
            // Inference: nothing will differentiate through the map, so sum the samples in Java
            // rather than materialise the (cells·K, C) gather natively.
            return poolInJava(manager, features, in, sampling);
        }
        TreeMap<Integer, List<Integer>> buckets = bucketByEntries(sampling, in.roiCount());
        int cells = outputHeight * outputWidth;
        // The gather indices and bilinear weights stay in the caller's manager until it closes:
        // DJL frees an array's memory on close even while autograd still refers to it.
        // (H·W, C): one row of C channels per map cell, a view of the channel-major map.
        NDArray channelMajor = features.reshape(in.channels(), in.area());
        channelMajor.attach(manager);
        NDArray rows = channelMajor.transpose();
        NDList pieces = new NDList();
        long[] position = new long[in.roiCount() * cells];
        int done = 0;
        for (var bucket : buckets.entrySet()) {
            pieces.add(poolBucket(manager, rows, sampling, bucket.getKey(), bucket.getValue()));
            for (int r : bucket.getValue()) {
                for (int j = 0; j < cells; j++) {
                    position[r * cells + j] = done++;
                }
            }
        }
        // NDArrays.concat of a single array returns a copy detached from autograd.
        NDArray pooled = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
        if (pieces.size() > 1) {
            pooled = RowGather.rows(manager, pooled, position);
        }
        NDArray out = pooled.reshape(in.roiCount(), outputHeight, outputWidth, in.channels())
                .transpose(0, 3, 1, 2);
        return out;
    }

    /** RoIs grouped by their rounded entry count K, in RoI order within a group. */
    /**
     * Inference's path: the map read as {@code (H·W, C)} rows through a view of a native copy that
     * is freed on return, the output written straight into a native array; nothing of map size is
     * left on the Java heap or in direct buffers for a garbage collection to free.
     */
    private NDArray poolInJava(NDManager manager, NDArray features, PoolingInput in, BilinearSampling sampling) {
        Shape shape = new Shape(in.roiCount(), in.channels(), outputHeight, outputWidth);
        if (in.roiCount() == 0 || in.area() == 0) return manager.zeros(shape);
        try (NDManager scratch = manager.newSubManager()) {
            // The view and the copy libtorch makes to read it contiguously belong to scratch.
            NDArray channelMajor = features.reshape(in.channels(), in.area());
            channelMajor.attach(scratch);
            NDArray cellMajor = channelMajor.transpose();
            NativeFloats.Writable out = NativeFloats.allocate(manager, shape);
            sampling.pool(NativeFloats.read(cellMajor), in.channels(), out.values());
            return out.array();
        }
    }

    private static TreeMap<Integer, List<Integer>> bucketByEntries(BilinearSampling sampling, int roiCount) {
        TreeMap<Integer, List<Integer>> buckets = new TreeMap<>();
        for (int r = 0; r < roiCount; r++) {
            buckets.computeIfAbsent(roundUp(sampling.entriesPerCell(r)), k -> new ArrayList<>()).add(r);
        }
        if (buckets.isEmpty()) {
            buckets.put(1, List.of());
        }
        return buckets;
    }

    /** The smallest of 1, 2, 3, 4, 6, 8, 12, 16, … (powers of two and 1.5 times them) not below k. */
    static int roundUp(int k) {
        int p = 1;
        while (true) {
            if (p >= k) {
                return p;
            }
            if (p >= 2 && p + p / 2 >= k) {
                return p + p / 2;
            }
            p *= 2;
        }
    }

    /**
     * The {@code (n·cells, C)} pooled values of one bucket's RoIs with K entries per cell: the K
     * gathered rows of each cell, {@code (n·cells, K, C)}, weighted and summed by one batched
     * matrix product with the {@code (n·cells, 1, K)} weights.
     */
    private NDArray poolBucket(NDManager manager, NDArray rows, BilinearSampling sampling, int k, List<Integer> rois) {
        int n = rois.size() * outputHeight * outputWidth;
        long[] index = new long[n * k];
        float[] weight = new float[n * k];
        int offset = 0;
        for (int r : rois) {
            offset = sampling.fill(r, k, index, weight, offset);
        }
        long channels = rows.getShape().get(1);
        NDArray gathered = RowGather.rows(manager, rows, index).reshape(n, k, channels);
        NDArray weights = manager.create(weight, new Shape(n, 1, k)).toType(rows.getDataType(), false);
        return weights.batchMatMul(gathered).reshape(n, channels);
    }
}
