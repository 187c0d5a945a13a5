package org.rcnn4j.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * N images ready for a backbone: normalised pixels in one N×3×H×W float array plus each image's
 * transform and ground truth.
 *
 * <p>H and W are the largest resized height and width in the batch (rounded up to a multiple of
 * the size divisibility, e.g. 32 for FPN's five-level pyramid); smaller images sit in the top-left
 * corner and the rest is zero <em>after</em> normalisation (py-faster-rcnn's
 * {@code im_list_to_blob}). Box coordinates need no change for padding.
 *
 * @param images the N images in batch order
 * @param pixels N×3×H×W, flattened row-major: image n, channel c, row y, column x is at
 *               {@code ((n * 3 + c) * H + y) * W + x}
 * @param height padded height H
 * @param width  padded width W
 */
public record DetectionBatch(List<BatchImage> images, float[] pixels, int height, int width) {
    public DetectionBatch {
        images = List.copyOf(images);
        if ((long) images.size() * 3 * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, expected N*3*H*W = "
                    + images.size() + "*3*" + height + "*" + width);
        }
    }

    /**
     * Normalises and pads prepared images into one batch.
     *
     * @param prepared         1..N images
     * @param normalize        the per-channel normalisation
     * @param sizeDivisibility H and W are rounded up to a multiple of this (1: no rounding)
     */
    public static DetectionBatch assemble(List<PreparedImage> prepared, Normalize normalize, int sizeDivisibility) {
        if (prepared.isEmpty()) throw new IllegalArgumentException("a batch needs at least one image");
        if (sizeDivisibility < 1) throw new IllegalArgumentException("sizeDivisibility must be >= 1, got " + sizeDivisibility);
        int h = 0, w = 0;
        for (PreparedImage p : prepared) {
            h = Math.max(h, p.pixels().height());
            w = Math.max(w, p.pixels().width());
        }
        h = roundUp(h, sizeDivisibility);
        w = roundUp(w, sizeDivisibility);
        float[] pixels = new float[Math.multiplyExact(Math.multiplyExact(prepared.size() * 3, h), w)];
        List<BatchImage> images = new ArrayList<>(prepared.size());
        for (int n = 0; n < prepared.size(); n++) {
            normalize.toChw(prepared.get(n).pixels(), pixels, n * 3 * h * w, h, w);
            images.add(prepared.get(n).image());
        }
        return new DetectionBatch(images, pixels, h, w);
    }

    private static int roundUp(int v, int d) {
        return (v + d - 1) / d * d;
    }

    /** Number of images N. */
    public int size() {
        return images.size();
    }

    /** The NCHW shape {@code {N, 3, H, W}}. */
    public long[] shape() {
        return new long[] {images.size(), 3, height, width};
    }

    /** Image {@code n}. */
    public BatchImage image(int n) {
        return images.get(n);
    }
}
