package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.Float16;

class FeatureCacheTest {
    private static final int D = 8;
    private static final String FP = "sha256:abc";

    @TempDir
    Path dir;

    private static short h(float f) {
        return Float16.toHalf(f);
    }

    @Test
    void float16KnownValues() {
        assertEquals((short) 0x3c00, h(1f));
        assertEquals((short) 0xc000, h(-2f));
        assertEquals((short) 0x7bff, h(65504f));
        assertEquals((short) 0x0400, h(6.1035156e-5f)); // 2^-14, smallest normal
        assertEquals((short) 0x0001, h(0x1p-24f)); // 5.96e-8, smallest subnormal
        assertEquals((short) 0x0001, h(5.96e-8f));
        assertEquals((short) 0x0000, h(0f));
        assertEquals((short) 0x8000, h(-0f));
        // ties to even: 1 + 2^-11 lies halfway between 1 (even) and 1 + 2^-10 (odd)
        assertEquals((short) 0x3c00, h(1f + 0x1p-11f));
        assertEquals((short) 0x3c02, h(1f + 3 * 0x1p-11f));
        assertEquals((short) 0x3c01, h(1f + 0x1p-11f + 0x1p-20f)); // just above the tie rounds up
        assertEquals((short) 0x0000, h(0x1p-25f)); // subnormal tie between 0 and 2^-24
        assertEquals((short) 0x0002, h(3 * 0x1p-25f)); // between 1 and 2 ulps: to 2
        assertEquals((short) 0x0001, h(0x1p-25f * 1.0001f));
        assertEquals((short) 0x0400, h(0x3ffp-24f + 0x1p-25f)); // largest subnormal + half an ulp → min normal
        // overflow
        assertEquals((short) 0x7bff, h(65519f));
        assertEquals((short) 0x7c00, h(65520f));
        assertEquals((short) 0xfc00, h(-1e6f));
        assertEquals((short) 0x7c00, h(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Float16.toFloat(h(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7c00));
        assertEquals(-2f, Float16.toFloat((short) 0xc000));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
    }

    @Test
    void float16EveryHalfRoundTrips() {
        for (int b = 0; b < 0x10000; b++) {
            short s = (short) b;
            float f = Float16.toFloat(s);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(h(f))));
            } else {
                assertEquals(s, h(f), "half 0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void float16RandomValuesWithinRelativeError() {
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) (Math.exp(rnd.nextDouble() * Math.log(65504.0 / 0x1p-14) + Math.log(0x1p-14)));
            if (rnd.nextBoolean()) x = -x;
            float y = Float16.toFloat(h(x));
            assertTrue(Math.abs(y - x) <= Math.abs(x) * 0x1p-11, x + " -> " + y);
        }
    }

    private static float[] boxes(int r, int seed) {
        float[] b = new float[4 * r];
        for (int i = 0; i < b.length; i++) b[i] = seed * 100 + i + 0.25f;
        return b;
    }

    private static float[] features(int r, int seed) {
        float[] f = new float[r * D];
        Random rnd = new Random(seed);
        for (int i = 0; i < f.length; i++) f[i] = rnd.nextFloat() * 10;
        return f;
    }

    @Test
    void putGetRoundTrip() throws IOException {
        FeatureCache cache = FeatureCache.open(dir, D, "fc7", FP);
        assertFalse(cache.has(3));
        assertEquals(0, cache.images());
        long manifestBytes = Files.size(dir.resolve(FeatureCache.MANIFEST));
        assertEquals(manifestBytes, cache.sizeBytes());
        float[] b = boxes(5, 3);
        float[] f = features(5, 3);
        cache.put(3, b, f);
        cache.put(11, boxes(0, 11), new float[0]);
        assertTrue(cache.has(3));
        assertEquals(2, cache.images());
        assertEquals(manifestBytes + (16 + 2 * 5 * D + 16 * 5) + 16, cache.sizeBytes());
        FeatureCache.Rows rows = cache.get(3);
        assertEquals(5, rows.count());
        assertArrayEquals(b, rows.boxes());
        for (int i = 0; i < f.length; i++) assertEquals(f[i], rows.features()[i], Math.abs(f[i]) * 0x1p-11);
        assertEquals(0, cache.get(11).count());

        cache.setScale(2f);
        FeatureCache reopened = FeatureCache.open(dir, D, "fc7", FP);
        assertEquals(2f, reopened.scale());
        float[] scaled = reopened.get(3).features();
        float[] raw = reopened.getUnscaled(3).features();
        for (int i = 0; i < f.length; i++) assertEquals(2 * raw[i], scaled[i]);
    }

    @Test
    void fillResumesAfterACrash() throws IOException {
        List<Long> ids = List.of(10L, 20L, 30L, 40L, 50L);
        AtomicInteger calls = new AtomicInteger();
        FeatureCache.Extractor failing = id -> {
            if (calls.incrementAndGet() == 3) throw new IllegalStateException("out of memory, say");
            return new FeatureCache.Rows(boxes(2, (int) id), features(2, (int) id));
        };
        FeatureCache cache = FeatureCache.open(dir, D, "fc7", FP);
        assertThrows(IllegalStateException.class, () -> cache.fill(ids, failing, FeatureCache.Progress.NONE));
        assertEquals(2, cache.images());
        // what a process killed inside AtomicFiles.write leaves behind
        Path leftover = dir.resolve(".30.feat.123456.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});

        calls.set(0);
        List<double[]> reports = new ArrayList<>();
        FeatureCache again = FeatureCache.open(dir, D, "fc7", FP);
        assertFalse(Files.exists(leftover));
        int computed = again.fill(ids, id -> {
            calls.incrementAndGet();
            return new FeatureCache.Rows(boxes(2, (int) id), features(2, (int) id));
        }, (done, total, eta, bytes) -> reports.add(new double[] {done, total, eta, bytes}));
        assertEquals(3, computed);
        assertEquals(3, calls.get());
        assertEquals(5, again.images());
        for (long id : ids) assertArrayEquals(boxes(2, (int) id), again.get(id).boxes());
        assertEquals(4, reports.size());
        assertEquals(2, reports.get(0)[0]);
        assertTrue(Double.isNaN(reports.get(0)[2]));
        double[] last = reports.get(3);
        assertEquals(5, last[0]);
        assertEquals(5, last[1]);
        assertEquals(0, last[2]);
        assertEquals(again.sizeBytes(), (long) last[3]);
        assertEquals(0, again.fill(ids, id -> { throw new AssertionError("cached"); }, FeatureCache.Progress.NONE));
    }

    @Test
    void refusesAnotherNetworkOrDimension() throws IOException {
        FeatureCache.open(dir, D, "fc7", FP);
        Path manifest = dir.resolve(FeatureCache.MANIFEST);
        BadInputException e = assertThrows(BadInputException.class, () -> FeatureCache.open(dir, D + 1, "fc7", FP));
        assertEquals(manifest.toString(), e.file());
        assertEquals("d", e.where());
        e = assertThrows(BadInputException.class, () -> FeatureCache.open(dir, D, "fc7", "sha256:other"));
        assertEquals("fingerprint", e.where());
        assertTrue(e.getMessage().startsWith(manifest + ": fingerprint: "), e.getMessage());
        e = assertThrows(BadInputException.class, () -> FeatureCache.open(dir, D, "pool5", FP));
        assertEquals("layer", e.where());
        Files.writeString(manifest, "{\"format\": 1, \"d\": 8");
        e = assertThrows(BadInputException.class, () -> FeatureCache.open(dir, D, "fc7", FP));
        assertEquals(manifest.toString(), e.file());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        FeatureCache cache = FeatureCache.open(dir, D, "fc7", FP);
        cache.put(7, boxes(3, 7), features(3, 7));
        Path file = cache.file(7);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(file) - 5);
        }
        BadInputException e = assertThrows(BadInputException.class, () -> cache.get(7));
        assertEquals(file.toString(), e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(9);
        }
        e = assertThrows(BadInputException.class, () -> cache.get(7));
        assertEquals(file.toString(), e.file());
        e = assertThrows(BadInputException.class, () -> cache.get(8));
        assertEquals(cache.file(8).toString(), e.file());
    }

    @Test
    void normScaleIsTwentyOverTheMeanNorm() {
        float[] a = new float[D];
        a[0] = 3;
        a[1] = 4; // norm 5
        float[] b = new float[2 * D];
        b[2] = 10; // norm 10
        b[D + 5] = -15; // norm 15
        assertEquals(20f / 10f, FeatureCache.normScale(List.of(a, b), D), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> FeatureCache.normScale(List.of(), D));
        assertThrows(IllegalArgumentException.class, () -> FeatureCache.normScale(List.of(new float[D + 1]), D));
    }

    @Test
    void refusesValuesBeyondFloat16() throws IOException {
        FeatureCache cache = FeatureCache.open(dir, D, "fc7", FP);
        float[] f = features(1, 1);
        f[3] = 70000f;
        assertThrows(IllegalArgumentException.class, () -> cache.put(1, boxes(1, 1), f));
        assertFalse(cache.has(1));
    }
}
