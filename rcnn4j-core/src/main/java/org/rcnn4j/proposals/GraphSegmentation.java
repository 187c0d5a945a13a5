package org.rcnn4j.proposals;

import java.util.Arrays;

/**
 * Efficient graph-based image segmentation (Felzenszwalb and Huttenlocher, IJCV 2004), the initial
 * regions of selective search (Uijlings et al. 2013, §3.1).
 *
 * <p>The image is smoothed with a Gaussian of σ = 0.8 (the paper's §5 value, also Uijlings'); every
 * pixel is a vertex joined to its 8 neighbours by edges weighted with the Euclidean distance of the
 * smoothed channel values. Edges are visited by increasing weight; two components merge when the
 * edge weight is at most both components' internal difference plus {@code τ(C) = k / |C|} (§3.1,
 * eq. 2–3, with the internal difference of a component built this way equal to the weight of the
 * last edge that grew it). Components smaller than {@code minSize} pixels are then merged across the
 * lightest edges that reach them (§4.1).
 *
 * <p>The sorted edge list depends only on the image, so it is built once by the constructor and
 * shared by every {@link #segment} call (selective search segments each colour space with several
 * {@code k}).
 */
public final class GraphSegmentation {
    /** Smoothing before building the graph (Felzenszwalb–Huttenlocher §5). */
    public static final float SIGMA = 0.8f;

    private final int width;
    private final int height;
    /** Edge endpoints (pixel indices y·W + x) and weights, by increasing weight. */
    private final int[] from;
    private final int[] to;
    private final float[] weight;

    /**
     * Smooths the image and builds the graph's sorted edges.
     *
     * @param channels C planes of {@code width × height} floats, row-major (e.g. from {@link ColourSpace#convert})
     * @param sigma    standard deviation of the Gaussian smoothing, pixels; 0 for none
     */
    public GraphSegmentation(float[][] channels, int width, int height, float sigma) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("empty image " + width + "x" + height);
        this.width = width;
        this.height = height;
        float[][] smooth = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            if (channels[c].length != width * height) throw new IllegalArgumentException("channel " + c + " is not " + width + "x" + height);
            smooth[c] = sigma > 0 ? Filters.separable(channels[c], width, height, Filters.gaussian(sigma, 4), Filters.gaussian(sigma, 4)) : channels[c];
        }
        long[] keys = edgeKeys(smooth);
        Arrays.sort(keys);
        from = new int[keys.length];
        to = new int[keys.length];
        weight = new float[keys.length];
        int[] dx = {1, 0, 1, 1};
        int[] dy = {0, 1, 1, -1};
        for (int e = 0; e < keys.length; e++) {
            int id = (int) keys[e];
            int p = id >>> 2, dir = id & 3;
            from[e] = p;
            to[e] = p + dy[dir] * width + dx[dir];
            weight[e] = Float.intBitsToFloat((int) (keys[e] >>> 32));
        }
    }

    /**
     * Sort keys of the 8-neighbour graph's edges: each pixel's right, down, down-right and up-right
     * neighbours. A key holds the weight's float bits (order-preserving for weights ≥ 0) above
     * {@code 4·pixel + direction}, so sorting the longs sorts the edges by weight.
     */
    private long[] edgeKeys(float[][] smooth) {
        long[] keys = new long[4 * width * height];
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                if (x + 1 < width) keys[n++] = key(smooth, p, p + 1, 4L * p);
                if (y + 1 < height) keys[n++] = key(smooth, p, p + width, 4L * p + 1);
                if (x + 1 < width && y + 1 < height) keys[n++] = key(smooth, p, p + width + 1, 4L * p + 2);
                if (x + 1 < width && y > 0) keys[n++] = key(smooth, p, p - width + 1, 4L * p + 3);
            }
        }
        return Arrays.copyOf(keys, n);
    }

    private static long key(float[][] smooth, int a, int b, long id) {
        float sum = 0;
        for (float[] ch : smooth) {
            float d = ch[a] - ch[b];
            sum += d * d;
        }
        return (long) Float.floatToIntBits((float) Math.sqrt(sum)) << 32 | id;
    }

    /**
     * Segments the image.
     *
     * @param k       scale of observation: larger k, larger components (τ(C) = k / |C|); in the units of
     *                the channel values (0..255)
     * @param minSize smallest component, pixels; smaller ones are merged into a neighbour
     * @return the components, labelled 0..n-1 in order of their first pixel in raster order
     */
    public Segmentation segment(float k, int minSize) {
        int n = width * height;
        int[] parent = new int[n];
        int[] size = new int[n];
        float[] threshold = new float[n];
        for (int p = 0; p < n; p++) {
            parent[p] = p;
            size[p] = 1;
            threshold[p] = k;
        }
        for (int e = 0; e < from.length; e++) {
            int a = find(parent, from[e]), b = find(parent, to[e]);
            float w = weight[e];
            if (a != b && w <= threshold[a] && w <= threshold[b]) {
                int r = union(parent, size, a, b);
                threshold[r] = w + k / size[r];
            }
        }
        for (int e = 0; e < from.length; e++) {
            int a = find(parent, from[e]), b = find(parent, to[e]);
            if (a != b && (size[a] < minSize || size[b] < minSize)) union(parent, size, a, b);
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int count = 0;
        for (int p = 0; p < n; p++) {
            int r = find(parent, p);
            if (labelOfRoot[r] < 0) labelOfRoot[r] = count++;
            labels[p] = labelOfRoot[r];
        }
        return new Segmentation(width, height, labels, count);
    }

    /** The root of {@code p}'s component, halving the path on the way. */
    private static int find(int[] parent, int p) {
        while (parent[p] != p) {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        return p;
    }

    /** Joins two roots, the smaller under the larger; returns the new root. */
    private static int union(int[] parent, int[] size, int a, int b) {
        if (size[a] < size[b]) {
            int t = a;
            a = b;
            b = t;
        }
        parent[b] = a;
        size[a] += size[b];
        return a;
    }
}
