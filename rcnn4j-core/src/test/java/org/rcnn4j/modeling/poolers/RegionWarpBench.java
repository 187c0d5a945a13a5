package org.rcnn4j.modeling.poolers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Benchmark, not a test: time of R-CNN's region warp for R = 2000 proposals (R-CNN's per-image
 * count) on one 320×320 image (the {@code fashion} benchmark's size), at W = 227 (the paper's)
 * and W = 64, p = 16·W/227 rounded; the plain-Java warp alone and the whole {@link RegionWarp#pool}
 * call (image read back, warp, result created as an NDArray). Prints the median of the timed runs.
 * Arguments: R (2000), timed runs (5).
 */
public final class RegionWarpBench {

    private RegionWarpBench() {
    }

    public static void main(String[] args) {
        int regions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int h = 320;
        int w = 320;
        SplittableRandom random = new SplittableRandom(11);
        float[] image = new float[3 * h * w];
        for (int i = 0; i < image.length; i++) image[i] = (float) random.nextGaussian();
        float[] rois = proposals(random, regions, w, h);
        System.out.println("| W | p | R | warp (Java) ms | pool (NDArray in, NDArray out) ms | output MB |");
        System.out.println("|---|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.create(image, new Shape(1, 3, h, w));
            for (int size : new int[] {227, 64}) {
                RegionWarp warp = new RegionWarp(size, Math.round(16f * size / 227));
                double java = median(runs, () -> warp.warp(image, 3, h, w, rois));
                double pool = median(runs, () -> {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray in = batch.duplicate();
                        in.attach(step);
                        warp.pool(List.of(in), 0, rois).close();
                    }
                });
                double mb = 4.0 * regions * 3 * size * size / (1 << 20);
                System.out.printf("| %d | %d | %d | %.0f | %.0f | %.0f |%n", size, warp.context(), regions, java, pool, mb);
            }
        }
    }

    /** Selective-search-like boxes: sides log-uniform in 16..320 pixels, anywhere in the image. */
    static float[] proposals(SplittableRandom random, int r, int w, int h) {
        float[] rois = new float[4 * r];
        for (int i = 0; i < r; i++) {
            float bw = (float) Math.exp(random.nextDouble(Math.log(16), Math.log(w)));
            float bh = (float) Math.exp(random.nextDouble(Math.log(16), Math.log(h)));
            float x1 = (float) Math.floor(random.nextDouble(0, w - bw + 1));
            float y1 = (float) Math.floor(random.nextDouble(0, h - bh + 1));
            rois[4 * i] = x1;
            rois[4 * i + 1] = y1;
            rois[4 * i + 2] = (float) Math.floor(x1 + bw);
            rois[4 * i + 3] = (float) Math.floor(y1 + bh);
        }
        return rois;
    }

    /** Two untimed runs, then the median of {@code runs} timed ones, in ms. */
    private static double median(int runs, Runnable body) {
        body.run();
        body.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
