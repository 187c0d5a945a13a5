package org.rcnn4j.proposals;

import java.util.Arrays;

/**
 * A max-heap of region pairs keyed by similarity, on parallel primitive arrays. Entries are never
 * removed early: {@link HierarchicalGrouping} skips popped pairs whose regions were merged already,
 * which is cheaper than finding them in the heap. Equal similarities pop in an order that depends
 * only on the sequence of pushes, so grouping is deterministic.
 */
final class SimilarityQueue {
    private double[] key = new double[64];
    private int[] first = new int[64];
    private int[] second = new int[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void push(double similarity, int a, int b) {
        if (size == key.length) {
            key = Arrays.copyOf(key, 2 * size);
            first = Arrays.copyOf(first, 2 * size);
            second = Arrays.copyOf(second, 2 * size);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (key[parent] >= similarity) break;
            set(i, key[parent], first[parent], second[parent]);
            i = parent;
        }
        set(i, similarity, a, b);
    }

    /** The most similar pair's first region; call {@link #topSecond()} before {@link #pop()}. */
    int topFirst() {
        return first[0];
    }

    int topSecond() {
        return second[0];
    }

    void pop() {
        size--;
        if (size == 0) return;
        double k = key[size];
        int a = first[size], b = second[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && key[child + 1] > key[child]) child++;
            if (key[child] <= k) break;
            set(i, key[child], first[child], second[child]);
            i = child;
        }
        set(i, k, a, b);
    }

    private void set(int i, double k, int a, int b) {
        key[i] = k;
        first[i] = a;
        second[i] = b;
    }
}
