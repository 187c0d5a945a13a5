package org.rcnn4j.preprocess;

/**
 * Horizontal flipping of an image and its boxes, Fast R-CNN's only data augmentation (§2.3, mini-batch sampling: p = 0.5).
 *
 * <p>Continuous pixel convention: an image {@code W} wide mirrors {@code x → W - x}, so a box
 * {@code [x1, x2)} becomes {@code [W - x2, W - x1)}; flipping twice gives the box back exactly.
 * (py-faster-rcnn's {@code W - x - 1} is the same rule for its inclusive pixel indices.)
 */
public final class Flip {
    private Flip() {}

    /** The image mirrored left–right: output pixel {@code x} is input pixel {@code W - 1 - x}. */
    public static RgbImage horizontal(RgbImage image) {
        int w = image.width(), h = image.height();
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3, d = row + (w - 1 - x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(w, h, dst);
    }

    /**
     * Boxes mirrored in an image {@code width} wide: {@code x1' = W - x2}, {@code x2' = W - x1}, y unchanged.
     *
     * @param boxes R×4 {@code x1 y1 x2 y2}, flattened; not modified
     * @param width the image width the boxes live in (after any resizing), pixels
     * @return a new R×4 array
     */
    public static float[] boxes(float[] boxes, float width) {
        if (boxes.length % 4 != 0) throw new IllegalArgumentException("boxes must be R x 4, got length " + boxes.length);
        float[] out = new float[boxes.length];
        for (int i = 0; i < boxes.length; i += 4) {
            out[i] = width - boxes[i + 2];
            out[i + 1] = boxes[i + 1];
            out[i + 2] = width - boxes[i];
            out[i + 3] = boxes[i + 3];
        }
        return out;
    }
}
