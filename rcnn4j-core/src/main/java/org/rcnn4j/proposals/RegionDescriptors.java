package org.rcnn4j.proposals;

import java.util.Arrays;

/**
 * The features selective search compares regions by (Uijlings et al. 2013, §3.2): size in pixels,
 * bounding box, L1-normalised colour and texture histograms. A table of rows, one per region: the
 * n initial regions of a segmentation first, then each region {@link #merge} creates, so a full
 * hierarchy fills 2n - 1 rows.
 *
 * <p>Boxes are ints {@code x1 y1 x2 y2} in continuous pixel coordinates: a region whose pixels span
 * columns 3..5 has x1 = 3, x2 = 6.
 */
public final class RegionDescriptors {
    private final long imageArea;
    private final int colourLength;
    private final int textureLength;
    private int count;
    private int[] size;
    private int[] box;
    private float[] colour;
    private float[] texture;

    /**
     * An empty table.
     *
     * @param imageArea     W·H, pixels
     * @param colourLength  bins of a colour histogram
     * @param textureLength bins of a texture histogram
     * @param capacity      rows to reserve (2n - 1 for a hierarchy over n regions); grows if needed
     */
    public RegionDescriptors(long imageArea, int colourLength, int textureLength, int capacity) {
        this.imageArea = imageArea;
        this.colourLength = colourLength;
        this.textureLength = textureLength;
        capacity = Math.max(1, capacity);
        size = new int[capacity];
        box = new int[4 * capacity];
        colour = new float[capacity * colourLength];
        texture = new float[capacity * textureLength];
    }

    /**
     * The features of the initial regions of a segmentation, with room for their hierarchy (2n - 1 rows).
     *
     * @param features    per-pixel bins of the image the segmentation was made from
     * @param segmentation n regions
     */
    public static RegionDescriptors of(ImageFeatures features, Segmentation segmentation) {
        int n = segmentation.count(), w = segmentation.width(), h = segmentation.height();
        RegionDescriptors f = new RegionDescriptors((long) w * h, features.colourLength(), features.textureLength(), 2 * n - 1);
        f.count = n;
        int[] labels = segmentation.labels();
        Arrays.fill(f.box, 0, 4 * n, -1);
        for (int i = 0; i < n; i++) {
            f.box[4 * i] = Integer.MAX_VALUE;
            f.box[4 * i + 1] = Integer.MAX_VALUE;
        }
        short[] cb = features.colourBins();
        short[] tb = features.textureBins();
        int c = features.channels(), t = 4 * c;
        for (int y = 0, p = 0; y < h; y++) {
            for (int x = 0; x < w; x++, p++) {
                int r = labels[p];
                f.size[r]++;
                int b = 4 * r;
                if (x < f.box[b]) f.box[b] = x;
                if (y < f.box[b + 1]) f.box[b + 1] = y;
                if (x >= f.box[b + 2]) f.box[b + 2] = x + 1;
                if (y >= f.box[b + 3]) f.box[b + 3] = y + 1;
                int co = r * f.colourLength, to = r * f.textureLength;
                for (int k = 0; k < c; k++) f.colour[co + cb[p * c + k]]++;
                for (int k = 0; k < t; k++) f.texture[to + tb[p * t + k]]++;
            }
        }
        for (int r = 0; r < n; r++) {
            normalise(f.colour, r * f.colourLength, f.colourLength, (float) f.size[r] * c);
            normalise(f.texture, r * f.textureLength, f.textureLength, (float) f.size[r] * t);
        }
        return f;
    }

    private static void normalise(float[] h, int from, int len, float total) {
        for (int i = from; i < from + len; i++) h[i] /= total;
    }

    /**
     * Appends a region given by hand.
     *
     * @param colourHistogram  {@code colourLength} values, L1-normalised by the caller
     * @param textureHistogram {@code textureLength} values, L1-normalised by the caller
     * @return its row
     */
    public int add(int pixels, int x1, int y1, int x2, int y2, float[] colourHistogram, float[] textureHistogram) {
        if (colourHistogram.length != colourLength || textureHistogram.length != textureLength) {
            throw new IllegalArgumentException("histograms of " + colourHistogram.length + " and " + textureHistogram.length
                    + " bins, expected " + colourLength + " and " + textureLength);
        }
        int r = newRow();
        size[r] = pixels;
        box[4 * r] = x1;
        box[4 * r + 1] = y1;
        box[4 * r + 2] = x2;
        box[4 * r + 3] = y2;
        System.arraycopy(colourHistogram, 0, colour, r * colourLength, colourLength);
        System.arraycopy(textureHistogram, 0, texture, r * textureLength, textureLength);
        return r;
    }

    /**
     * Appends the union of regions {@code a} and {@code b}: sizes add, boxes join, histograms are
     * the size-weighted average (Uijlings et al. §3.2: "propagated through the hierarchy").
     *
     * @return the new region's row
     */
    public int merge(int a, int b) {
        int r = newRow();
        int sa = size[a], sb = size[b];
        size[r] = sa + sb;
        box[4 * r] = Math.min(box[4 * a], box[4 * b]);
        box[4 * r + 1] = Math.min(box[4 * a + 1], box[4 * b + 1]);
        box[4 * r + 2] = Math.max(box[4 * a + 2], box[4 * b + 2]);
        box[4 * r + 3] = Math.max(box[4 * a + 3], box[4 * b + 3]);
        float wa = (float) sa / (sa + sb), wb = 1 - wa;
        average(colour, colourLength, a, b, r, wa, wb);
        average(texture, textureLength, a, b, r, wa, wb);
        return r;
    }

    private static void average(float[] h, int len, int a, int b, int r, float wa, float wb) {
        int oa = a * len, ob = b * len, or = r * len;
        for (int i = 0; i < len; i++) h[or + i] = wa * h[oa + i] + wb * h[ob + i];
    }

    private int newRow() {
        if (count == size.length) {
            int cap = 2 * count;
            size = Arrays.copyOf(size, cap);
            box = Arrays.copyOf(box, 4 * cap);
            colour = Arrays.copyOf(colour, cap * colourLength);
            texture = Arrays.copyOf(texture, cap * textureLength);
        }
        return count++;
    }

    /** A copy with the same rows and room for {@code capacity} rows. */
    public RegionDescriptors copy(int capacity) {
        RegionDescriptors f = new RegionDescriptors(imageArea, colourLength, textureLength, Math.max(capacity, count));
        f.count = count;
        System.arraycopy(size, 0, f.size, 0, count);
        System.arraycopy(box, 0, f.box, 0, 4 * count);
        System.arraycopy(colour, 0, f.colour, 0, count * colourLength);
        System.arraycopy(texture, 0, f.texture, 0, count * textureLength);
        return f;
    }

    /** Number of rows (regions). */
    public int count() {
        return count;
    }

    /** W·H of the image, pixels. */
    public long imageArea() {
        return imageArea;
    }

    /** Size of region {@code r}, pixels. */
    public int size(int r) {
        return size[r];
    }

    /** Area of region {@code r}'s bounding box, pixels. */
    public long boxArea(int r) {
        return (long) (box[4 * r + 2] - box[4 * r]) * (box[4 * r + 3] - box[4 * r + 1]);
    }

    /** Area of the box that holds both regions' boxes, pixels. */
    public long joinedBoxArea(int a, int b) {
        long w = Math.max(box[4 * a + 2], box[4 * b + 2]) - Math.min(box[4 * a], box[4 * b]);
        long h = Math.max(box[4 * a + 3], box[4 * b + 3]) - Math.min(box[4 * a + 1], box[4 * b + 1]);
        return w * h;
    }

    /** The boxes of all rows, 4·count ints {@code x1 y1 x2 y2}, in row order. */
    public int[] boxes() {
        return Arrays.copyOf(box, 4 * count);
    }

    /** Histogram intersection of the colour histograms of {@code a} and {@code b}, in [0, 1]. */
    public float colourIntersection(int a, int b) {
        return intersection(colour, colourLength, a, b);
    }

    /** Histogram intersection of the texture histograms of {@code a} and {@code b}, in [0, 1]. */
    public float textureIntersection(int a, int b) {
        return intersection(texture, textureLength, a, b);
    }

    private static float intersection(float[] h, int len, int a, int b) {
        int oa = a * len, ob = b * len;
        float s = 0;
        for (int i = 0; i < len; i++) s += Math.min(h[oa + i], h[ob + i]);
        return s;
    }
}
