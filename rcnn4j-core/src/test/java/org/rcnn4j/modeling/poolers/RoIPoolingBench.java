package org.rcnn4j.modeling.poolers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Benchmark, not a test: forward + backward time of RoI pooling for one image (C = 256, a 38×50
 * stride-16 map of a ~600×800 image, 7×7), against a naive per-RoI, per-bin composition of
 * NDArray ops for RoI max pooling and against other RoIAlign gather layouts, all in one run.
 * Results: bench/results/roi_pooling.md.
 */
public final class RoIPoolingBench {

    private static final int C = 256;
    private static final int H = 38;
    private static final int W = 50;
    private static final float SCALE = 1f / 16;

    private RoIPoolingBench() {
    }

    /** A pooling variant under test. */
    private interface Variant {
        NDArray pool(NDManager manager, NDArray features, float[] rois);
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int slow = Math.max(1, iterations / 3);
        RoIPool roiPool = new RoIPool();
        RoIAlign roiAlign = new RoIAlign(7, 7, 0, true);
        System.out.println("| R | variant | forward ms | forward+backward ms |");
        System.out.println("|---|---|---|---|");
        for (int r : new int[] {128, 300}) {
            float[] rois = proposals(new SplittableRandom(42 + r), r);
            run(r, "RoIPool (Java argmax + one take)", iterations, rois, (m, f, b) -> roiPool.pool(m, f, b, SCALE));
            run(r, "RoIPool naive (per-bin get + max)", slow, rois, RoIPoolingBench::naiveRoiPool);
            run(r, "RoIAlign (shipped: (HW, C) row gather, bmm, K buckets)", iterations, rois,
                    (m, f, b) -> roiAlign.pool(m, f, b, SCALE));
            run(r, "RoIAlign ((HW, C) row gather, mul + sum, K buckets)", iterations, rois,
                    (m, f, b) -> alignVariant(m, f, b, Gather.ROWS, false, true));
            run(r, "RoIAlign ((C, HW) column gather, mul + sum, K buckets)", iterations, rois,
                    (m, f, b) -> alignVariant(m, f, b, Gather.COLUMNS, false, true));
            run(r, "RoIAlign ((HW, C) row gather, bmm, one padded K)", slow, rois,
                    (m, f, b) -> alignVariant(m, f, b, Gather.ROWS, true, false));
            run(r, "RoIAlign (flat take, C x index, mul + sum, one padded K)", slow, rois,
                    (m, f, b) -> alignVariant(m, f, b, Gather.FLAT, false, false));
        }
    }

    /** Faster R-CNN-like RoIs on an 800×600 image: sides log-uniform in 32..512 px, clipped. */
    static float[] proposals(SplittableRandom random, int r) {
        float[] rois = new float[4 * r];
        for (int i = 0; i < r; i++) {
            float bw = (float) Math.exp(random.nextDouble(Math.log(32), Math.log(512)));
            float bh = (float) Math.exp(random.nextDouble(Math.log(32), Math.log(512)));
            float x1 = (float) random.nextDouble(0, 800 - Math.min(bw, 799));
            float y1 = (float) random.nextDouble(0, 600 - Math.min(bh, 599));
            rois[4 * i] = x1;
            rois[4 * i + 1] = y1;
            rois[4 * i + 2] = Math.min(x1 + bw, 800);
            rois[4 * i + 3] = Math.min(y1 + bh, 600);
        }
        return rois;
    }

    private static void run(int r, String name, int iterations, float[] rois, Variant variant) {
        double[] forward = new double[iterations];
        double[] both = new double[iterations];
        for (int it = -2; it < iterations; it++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray features = manager.randomNormal(new Shape(1, C, H, W));
                NDArray upstream = manager.randomUniform(-1, 1, new Shape(r, C, 7, 7));
                features.setRequiresGradient(true);
                long t0 = System.nanoTime();
                long t1;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray out = variant.pool(manager, features, rois);
                    t1 = System.nanoTime();
                    collector.backward(out.mul(upstream).sum());
                }
                features.getGradient().getFloat(0, 0, 0, 0);
                long t2 = System.nanoTime();
                if (it >= 0) {
                    forward[it] = (t1 - t0) / 1e6;
                    both[it] = (t2 - t0) / 1e6;
                }
            }
        }
        System.out.printf("| %d | %s | %.1f | %.1f |%n", r, name, median(forward), median(both));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The naive composition: one slice and one max per RoI bin (torchvision's rounding). */
    private static NDArray naiveRoiPool(NDManager manager, NDArray features, float[] rois) {
        NDArray map = features.reshape(C, H, W);
        NDList pooled = new NDList();
        for (int n = 0; n < rois.length / 4; n++) {
            int x0 = RoIPool.roundHalfAway(rois[4 * n] * SCALE);
            int y0 = RoIPool.roundHalfAway(rois[4 * n + 1] * SCALE);
            int roiW = Math.max(RoIPool.roundHalfAway(rois[4 * n + 2] * SCALE) - x0 + 1, 1);
            int roiH = Math.max(RoIPool.roundHalfAway(rois[4 * n + 3] * SCALE) - y0 + 1, 1);
            NDList bins = new NDList();
            for (int ph = 0; ph < 7; ph++) {
                int hs = clamp((int) Math.floor(ph * (roiH / 7f)) + y0, H);
                int he = clamp((int) Math.ceil((ph + 1) * (roiH / 7f)) + y0, H);
                for (int pw = 0; pw < 7; pw++) {
                    int ws = clamp((int) Math.floor(pw * (roiW / 7f)) + x0, W);
                    int we = clamp((int) Math.ceil((pw + 1) * (roiW / 7f)) + x0, W);
                    bins.add(he <= hs || we <= ws ? manager.zeros(new Shape(C))
                            : map.get(new NDIndex(":, {}:{}, {}:{}", hs, he, ws, we)).reshape(C, -1).max(new int[] {1}));
                }
            }
            pooled.add(NDArrays.stack(bins, 1).reshape(C, 7, 7));
        }
        return NDArrays.stack(pooled);
    }

    private static int clamp(int v, int length) {
        return Math.min(Math.max(v, 0), length);
    }

    /** Where the gather reads: rows of (H·W, C), columns of (C, H·W), or single values of the flat map. */
    private enum Gather { ROWS, COLUMNS, FLAT }

    /**
     * RoIAlign variants: the gather layout, the weighted sum as one batched matmul ({@code bmm})
     * or a multiply and a sum, and RoIs grouped by entry count ({@code bucketed}) or all padded to
     * the largest K.
     */
    private static NDArray alignVariant(NDManager manager, NDArray features, float[] rois, Gather gather,
            boolean bmm, boolean bucketed) {
        PoolingInput in = PoolingInput.check(features, rois, SCALE);
        BilinearSampling s = BilinearSampling.compute(in, rois, SCALE, 7, 7, 0, true);
        TreeMap<Integer, List<Integer>> buckets = new TreeMap<>();
        int largest = 1;
        for (int r = 0; r < in.roiCount(); r++) {
            largest = Math.max(largest, RoIAlign.roundUp(s.entriesPerCell(r)));
        }
        for (int r = 0; r < in.roiCount(); r++) {
            int key = bucketed ? RoIAlign.roundUp(s.entriesPerCell(r)) : largest;
            buckets.computeIfAbsent(key, x -> new ArrayList<>()).add(r);
        }
        NDArray channelMajor = features.reshape(C, H * W);
        NDArray rows = channelMajor.transpose();
        NDList pieces = new NDList();
        long[] position = new long[in.roiCount() * 49];
        int done = 0;
        for (var bucket : buckets.entrySet()) {
            int k = bucket.getKey();
            int n = bucket.getValue().size() * 49;
            long[] index = new long[n * k];
            float[] weight = new float[n * k];
            int offset = 0;
            for (int r : bucket.getValue()) {
                offset = s.fill(r, k, index, weight, offset);
                for (int j = 0; j < 49; j++) {
                    position[r * 49 + j] = done++;
                }
            }
            NDArray picked; // (n·k, C)
            if (gather == Gather.ROWS) {
                picked = rows.get(new NDIndex("{}", manager.create(index)));
            } else if (gather == Gather.COLUMNS) {
                picked = channelMajor.get(new NDIndex(":, {}", manager.create(index))).transpose();
            } else {
                long[] all = new long[C * index.length];
                for (int c = 0; c < C; c++) {
                    for (int j = 0; j < index.length; j++) {
                        all[c * index.length + j] = (long) c * H * W + index[j];
                    }
                }
                picked = channelMajor.take(manager, manager.create(all, new Shape(C, index.length))).transpose();
            }
            if (bmm) {
                pieces.add(manager.create(weight, new Shape(n, 1, k)).batchMatMul(picked.reshape(n, k, C)).reshape(n, C));
            } else {
                pieces.add(picked.mul(manager.create(weight, new Shape(n * k, 1))).reshape(n, k, C).sum(new int[] {1}));
            }
        }
        // NDArrays.concat of one array returns a copy detached from autograd: skip it then.
        NDArray all = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
        NDArray pooled = all.get(new NDIndex("{}", manager.create(position)));
        return pooled.reshape(in.roiCount(), 7, 7, C).transpose(0, 3, 1, 2);
    }
}
