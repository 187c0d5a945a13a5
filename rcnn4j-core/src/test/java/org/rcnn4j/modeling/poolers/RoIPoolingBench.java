package org.rcnn4j.modeling.poolers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Benchmark, not a test: forward + backward time of RoI pooling for one image (C = 256, a 38×50
 * stride-16 map of a ~600×800 image, 7×7), against a naive per-RoI, per-bin composition of
 * NDArray ops for RoI max pooling and against two other RoIAlign gathers, all in one run.
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
        RoIPool roiPool = new RoIPool();
        RoIAlign roiAlign = new RoIAlign(7, 7, 0, true);
        System.out.println("| R | variant | forward ms | forward+backward ms |");
        System.out.println("|---|---|---|---|");
        for (int r : new int[] {128, 300}) {
            float[] rois = proposals(new SplittableRandom(42 + r), r);
            run(r, "RoIPool (Java argmax + one take)", iterations, rois, (m, f, b) -> roiPool.pool(m, f, b, SCALE));
            run(r, "RoIPool naive (per-bin get + max)", Math.max(1, iterations / 5), rois, RoIPoolingBench::naiveRoiPool);
            run(r, "RoIAlign (column gather, K buckets)", iterations, rois, (m, f, b) -> roiAlign.pool(m, f, b, SCALE));
            run(r, "RoIAlign (column gather, one padded K)", iterations, rois, (m, f, b) -> paddedAlign(m, f, b, false));
            run(r, "RoIAlign (flat take, C x index, one padded K)", iterations, rois, (m, f, b) -> paddedAlign(m, f, b, true));
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

    /**
     * RoIAlign with every RoI padded to the largest entry count: by columns of the {@code (C, H·W)}
     * map, or ({@code flat}) by one {@code take} of every (channel, entry) from the flat map.
     */
    private static NDArray paddedAlign(NDManager manager, NDArray features, float[] rois, boolean flat) {
        PoolingInput in = PoolingInput.check(features, rois, SCALE);
        BilinearSampling s = BilinearSampling.compute(in, rois, SCALE, 7, 7, 0, true);
        int k = 1;
        for (int r = 0; r < in.roiCount(); r++) {
            k = Math.max(k, s.entriesPerCell(r));
        }
        int n = in.roiCount() * 49;
        long[] index = new long[n * k];
        float[] weight = new float[n * k];
        int offset = 0;
        for (int r = 0; r < in.roiCount(); r++) {
            offset = s.fill(r, k, index, weight, offset);
        }
        NDArray map = features.reshape(C, H * W);
        NDArray gathered;
        if (flat) {
            long[] all = new long[C * index.length];
            for (int c = 0; c < C; c++) {
                for (int j = 0; j < index.length; j++) {
                    all[c * index.length + j] = (long) c * H * W + index[j];
                }
            }
            gathered = map.take(manager, manager.create(all, new Shape(C, index.length)));
        } else {
            gathered = map.get(new NDIndex(":, {}", manager.create(index)));
        }
        return gathered.mul(manager.create(weight)).reshape(C, n, k).sum(new int[] {2})
                .reshape(C, in.roiCount(), 7, 7).transpose(1, 0, 2, 3);
    }
}
