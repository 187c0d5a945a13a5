package org.rcnn4j.proposals;

import java.util.Arrays;

/**
 * A partition of an image into connected regions, as {@link GraphSegmentation} gives it.
 *
 * @param width  image width, pixels
 * @param height image height, pixels
 * @param labels W·H region labels in 0..count-1, row-major
 * @param count  number n of regions
 */
public record Segmentation(int width, int height, int[] labels, int count) {

    /** Checks the sizes and the label range. */
    public Segmentation {
        if (labels.length != width * height) throw new IllegalArgumentException(labels.length + " labels for " + width + "x" + height);
        for (int l : labels) if (l < 0 || l >= count) throw new IllegalArgumentException("label " + l + " outside 0.." + (count - 1));
    }

    /**
     * The pairs of regions that touch, with the 8-neighbourhood the segmentation used.
     *
     * @return P pairs as 2P ints {@code a, b} with {@code a < b}, sorted, without repeats
     */
    public int[] neighbourPairs() {
        long[] keys = new long[64];
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int a = labels[y * width + x];
                for (int d = 0; d < 4; d++) {
                    int nx = x + (d == 1 ? 0 : 1), ny = y + (d == 0 ? 0 : d == 3 ? -1 : 1);
                    if (nx >= width || ny < 0 || ny >= height) continue;
                    int b = labels[ny * width + nx];
                    if (a == b) continue;
                    if (n == keys.length) keys = Arrays.copyOf(keys, 2 * n);
                    keys[n++] = (long) Math.min(a, b) << 32 | Math.max(a, b);
                }
            }
        }
        Arrays.sort(keys, 0, n);
        int[] pairs = new int[2 * n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) continue;
            pairs[2 * m] = (int) (keys[i] >>> 32);
            pairs[2 * m + 1] = (int) keys[i];
            m++;
        }
        return Arrays.copyOf(pairs, 2 * m);
    }
}
