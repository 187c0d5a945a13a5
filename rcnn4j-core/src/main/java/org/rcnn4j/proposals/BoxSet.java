package org.rcnn4j.proposals;

import java.util.Arrays;

/** A set of integer boxes (open addressing on packed keys) for removing duplicate proposals without boxing. */
final class BoxSet {
    private final long sideX;
    private final long sideY;
    private long[] table;
    private int size;

    /** A set for boxes inside a {@code width × height} image, sized for about {@code expected} boxes. */
    BoxSet(int width, int height, int expected) {
        sideX = width + 1L;
        sideY = height + 1L;
        table = new long[Integer.highestOneBit(Math.max(4, 2 * expected)) << 1];
        Arrays.fill(table, -1);
    }

    /**
     * Adds a box with {@code 0 <= x1, x2 <= width} and {@code 0 <= y1, y2 <= height}.
     *
     * @return true when the box was not in the set
     */
    boolean add(int x1, int y1, int x2, int y2) {
        long key = pack(x1, y1, x2, y2);
        if (2 * (size + 1) > table.length) grow();
        return insert(table, key);
    }

    private boolean insert(long[] t, long key) {
        int mask = t.length - 1;
        for (int i = (int) (SelectiveSearch.mix(key) & mask); ; i = (i + 1) & mask) {
            if (t[i] == key) return false;
            if (t[i] == -1) {
                t[i] = key;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[2 * old.length];
        Arrays.fill(table, -1);
        size = 0;
        for (long k : old) if (k != -1) insert(table, k);
    }

    /**
     * The box as one number in mixed radix (W+1, H+1, W+1, H+1): exact and non-negative, since
     * ((W+1)(H+1))² stays below 2^63 for any image {@link org.rcnn4j.preprocess.RgbImage} can hold.
     */
    private long pack(int x1, int y1, int x2, int y2) {
        return ((x1 * sideY + y1) * sideX + x2) * sideY + y2;
    }
}
