package org.rcnn4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The process's resident set size (RSS) as the kernel counts it: the Java heap and everything native
 * (libtorch's tensors, the allocator's arenas, the JIT's code), which the garbage collector's figures
 * do not show. Read from {@code /proc/self/status} on Linux; elsewhere every figure is unknown (-1).
 */
public final class ResidentMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** Resident bytes now ({@code VmRSS}), or -1 where the system does not say. */
    public static long currentBytes() {
        return read("VmRSS");
    }

    /** The most resident bytes so far ({@code VmHWM}, the high-water mark), or -1 where the system does not say. */
    public static long peakBytes() {
        return read("VmHWM");
    }

    private static long read(String field) {
        try {
            return Files.isReadable(STATUS) ? parse(Files.readString(STATUS), field) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A field of a {@code /proc/<pid>/status} text in bytes ({@code "VmRSS:   123456 kB"} → 126418944),
     * or -1 when the text has no such field.
     */
    static long parse(String status, String field) {
        for (String line : status.split("\n")) {
            if (!line.startsWith(field + ":")) continue;
            String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
            long value = Long.parseLong(parts[0]);
            return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
        }
        return -1;
    }

    /** Bytes for a progress line: {@code "850 MB"}, {@code "1.2 GB"}; {@code "?"} when unknown (negative). */
    public static String format(long bytes) {
        if (bytes < 0) return "?";
        double mb = bytes / (1024.0 * 1024.0);
        return mb < 1024 ? String.format(Locale.ROOT, "%.0f MB", mb) : String.format(Locale.ROOT, "%.1f GB", mb / 1024);
    }
}
