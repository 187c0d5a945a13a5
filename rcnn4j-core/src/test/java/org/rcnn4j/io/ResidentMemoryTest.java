package org.rcnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {
    private static final String STATUS = "Name:\tjava\nVmPeak:\t 9623928 kB\nVmHWM:\t  1239196 kB\nVmRSS:\t   633892 kB\nThreads:\t31\n";

    @Test
    void fieldsOfAStatusTextAreReadInBytes() {
        assertEquals(633892L * 1024, ResidentMemory.parse(STATUS, "VmRSS"));
        assertEquals(1239196L * 1024, ResidentMemory.parse(STATUS, "VmHWM"));
        assertEquals(31, ResidentMemory.parse(STATUS, "Threads"), "a field without a unit is a count");
        assertEquals(-1, ResidentMemory.parse(STATUS, "VmSwap"));
        assertEquals(-1, ResidentMemory.parse(STATUS, "VmRS"), "a prefix of a field is not the field");
    }

    @Test
    void formattedForAProgressLine() {
        assertEquals("850 MB", ResidentMemory.format(850L * 1024 * 1024));
        assertEquals("1.5 GB", ResidentMemory.format(1536L * 1024 * 1024));
        assertEquals("?", ResidentMemory.format(-1));
    }

    @Test
    void nativeMemoryTouchedByTheProcessCounts() {
        assumeTrue(ResidentMemory.currentBytes() > 0, "no /proc/self/status on this system");
        long before = ResidentMemory.currentBytes();
        ByteBuffer native256 = ByteBuffer.allocateDirect(256 << 20);
        for (int i = 0; i < native256.capacity(); i += 4096) native256.put(i, (byte) 1);
        long after = ResidentMemory.currentBytes();
        assertTrue(after - before >= 200L << 20, "256 MB touched outside the heap: RSS " + before + " → " + after);
        assertTrue(ResidentMemory.peakBytes() >= after, "the high-water mark is at least the current size");
        assertEquals(1, native256.get(4096));
    }
}
