package org.rcnn4j.proposals;

import java.util.Arrays;

/**
 * Selective search's hierarchical grouping (Uijlings et al. 2013, §3.1, Algorithm 1): starting from
 * the initial regions of a segmentation, repeatedly merge the most similar pair of neighbouring
 * regions until one region covers the image. Every region ever formed is a proposal.
 *
 * <p>The merged region neighbours every neighbour of its two parts; its features are computed from
 * theirs ({@link RegionDescriptors#merge}) and its similarities to its neighbours are the only new ones.
 * Over n initial regions whose neighbourhood graph is connected (always so for a segmentation of a
 * whole image) the hierarchy holds exactly 2n - 1 regions.
 */
public final class HierarchicalGrouping {
    private HierarchicalGrouping() {}

    /**
     * Groups the regions of a table.
     *
     * @param features   n initial regions; merged regions are appended to it (it ends with 2n - 1
     *                   rows when the neighbourhood graph is connected)
     * @param neighbours P pairs of touching regions, 2P ints {@code a, b} (as {@link Segmentation#neighbourPairs})
     * @param similarity the strategy that picks the next merge
     * @return the boxes of all regions in order of creation, {@code x1 y1 x2 y2} ints: the n initial
     *         regions, then one per merge, the last merge last
     */
    public static int[] group(RegionDescriptors features, int[] neighbours, Similarity similarity) {
        int n = features.count();
        int capacity = Math.max(1, 2 * n - 1);
        // Union-find over region rows: a merged region points at the region it became part of.
        int[] mergedInto = new int[capacity];
        for (int i = 0; i < capacity; i++) mergedInto[i] = i;
        int[][] adjacent = new int[capacity][];
        int[] degree = new int[capacity];
        for (int i = 0; i < n; i++) adjacent[i] = new int[4];
        SimilarityQueue queue = new SimilarityQueue();
        for (int i = 0; i < neighbours.length; i += 2) {
            int a = neighbours[i], b = neighbours[i + 1];
            add(adjacent, degree, a, b);
            add(adjacent, degree, b, a);
            queue.push(similarity.between(features, a, b), a, b);
        }
        int[] seen = new int[capacity];
        Arrays.fill(seen, -1);
        while (!queue.isEmpty()) {
            int a = queue.topFirst(), b = queue.topSecond();
            queue.pop();
            if (mergedInto[a] != a || mergedInto[b] != b) continue;
            int t = features.merge(a, b);
            mergedInto[a] = t;
            mergedInto[b] = t;
            adjacent[t] = new int[Math.max(4, degree[a] + degree[b])];
            seen[t] = t;
            linkNeighbours(features, similarity, queue, mergedInto, adjacent, degree, seen, t, a);
            linkNeighbours(features, similarity, queue, mergedInto, adjacent, degree, seen, t, b);
            adjacent[a] = null;
            adjacent[b] = null;
        }
        return features.boxes();
    }

    /** Makes {@code t} a neighbour of every live region that touched {@code part}, and queues those pairs. */
    private static void linkNeighbours(RegionDescriptors features, Similarity similarity, SimilarityQueue queue,
                                       int[] mergedInto, int[][] adjacent, int[] degree, int[] seen, int t, int part) {
        int[] list = adjacent[part];
        for (int i = 0; i < degree[part]; i++) {
            int m = find(mergedInto, list[i]);
            if (seen[m] == t) continue;
            seen[m] = t;
            add(adjacent, degree, t, m);
            // m's own list keeps the dead id; find() resolves it to t when m merges later.
            queue.push(similarity.between(features, t, m), t, m);
        }
    }

    private static void add(int[][] adjacent, int[] degree, int a, int b) {
        if (degree[a] == adjacent[a].length) adjacent[a] = Arrays.copyOf(adjacent[a], 2 * degree[a]);
        adjacent[a][degree[a]++] = b;
    }

    /** The live region that region {@code r} is now part of, halving paths on the way. */
    private static int find(int[] mergedInto, int r) {
        while (mergedInto[r] != r) {
            mergedInto[r] = mergedInto[mergedInto[r]];
            r = mergedInto[r];
        }
        return r;
    }
}
