package org.rcnn4j.data.coco;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * COCO annotations as read, before their images are known: one primitive array per field
 * (about 45 bytes an annotation) instead of an object each, since a COCO file may list its
 * annotations before its images and train2017 has 860k of them.
 *
 * <p>Row {@code i} is {@code annotations[i]} of the file among the rows that parsed; {@link #source}
 * keeps that index for messages.
 */
final class AnnotationColumns {
    private static final byte CROWD = 1;
    private static final byte DIFFICULT = 2;
    /** The file gave the id (else it is the annotation's 1-based position). */
    private static final byte ID_GIVEN = 4;

    int size;
    int[] source = new int[1024];
    long[] id = new long[1024];
    long[] imageId = new long[1024];
    int[] categoryId = new int[1024];
    /** {@code x1 y1 x2 y2} per row. */
    float[] box = new float[4 * 1024];
    /** COCO's {@code area}, NaN where the file has none. */
    double[] area = new double[1024];
    byte[] flags = new byte[1024];

    void add(int sourceIndex, long annId, long imgId, int catId, double x, double y, double w, double h,
            double ar, boolean crowd, boolean difficult, boolean idGiven) {
        if (size == id.length) grow();
        int i = size++;
        source[i] = sourceIndex;
        id[i] = annId;
        imageId[i] = imgId;
        categoryId[i] = catId;
        box[4 * i] = (float) x;
        box[4 * i + 1] = (float) y;
        box[4 * i + 2] = (float) (x + w);
        box[4 * i + 3] = (float) (y + h);
        area[i] = ar;
        flags[i] = (byte) ((crowd ? CROWD : 0) | (difficult ? DIFFICULT : 0) | (idGiven ? ID_GIVEN : 0));
    }

    boolean idGiven(int i) {
        return (flags[i] & ID_GIVEN) != 0;
    }

    /**
     * The rows whose id (one the file gave) an earlier row has already, each mapped to that earlier
     * row's index in the file; empty, after one sort of the ids, when there are none.
     */
    Map<Integer, Integer> duplicateIds() {
        long[] given = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) if (idGiven(i)) given[n++] = id[i];
        long[] sorted = Arrays.copyOf(given, n);
        Arrays.sort(sorted);
        boolean any = false;
        for (int i = 1; i < n && !any; i++) any = sorted[i] == sorted[i - 1];
        if (!any) return Map.of();
        Map<Long, Integer> first = new HashMap<>();
        Map<Integer, Integer> duplicates = new HashMap<>();
        for (int i = 0; i < size; i++) {
            if (!idGiven(i)) continue;
            Integer earlier = first.putIfAbsent(id[i], i);
            if (earlier != null) duplicates.put(i, source[earlier]);
        }
        return duplicates;
    }

    boolean crowd(int i) {
        return (flags[i] & CROWD) != 0;
    }

    boolean difficult(int i) {
        return (flags[i] & DIFFICULT) != 0;
    }

    private void grow() {
        int n = id.length + (id.length >> 1);
        source = Arrays.copyOf(source, n);
        id = Arrays.copyOf(id, n);
        imageId = Arrays.copyOf(imageId, n);
        categoryId = Arrays.copyOf(categoryId, n);
        box = Arrays.copyOf(box, 4 * n);
        area = Arrays.copyOf(area, n);
        flags = Arrays.copyOf(flags, n);
    }
}
