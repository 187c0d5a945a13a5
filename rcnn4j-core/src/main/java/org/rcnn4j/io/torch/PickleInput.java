package org.rcnn4j.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rcnn4j.io.BadInputException;

/**
 * Bytes read in order from a stream that knows its position, so that an error can say where in
 * the file (or in which zip entry) it happened: {@code archive/data.pkl, byte 57}. Multi-byte
 * integers are little-endian, as pickle and torch write them.
 */
final class PickleInput {
    /** GLOBAL's module and name lines are Python identifiers; a longer line is not a pickle. */
    private static final int MAX_LINE = 1000;

    private final InputStream in;
    private final Path file;
    private final String part;
    private long position;

    /**
     * @param part the zip entry the bytes come from ({@code archive/data.pkl}), or null when they are
     *             the file itself
     */
    PickleInput(InputStream in, Path file, String part) {
        this.in = in;
        this.file = file;
        this.part = part;
    }

    /** Bytes read so far. */
    long position() {
        return position;
    }

    /** Where a byte is, as an error message names it: {@code archive/data.pkl, byte 57} or {@code byte 57}. */
    String at(long pos) {
        return part == null ? "byte " + pos : part + ", byte " + pos;
    }

    /** A one-line error at a byte of this input. */
    BadInputException bad(long pos, String what) {
        return new BadInputException(file, at(pos), what);
    }

    int u8() {
        try {
            int b = in.read();
            if (b < 0) throw bad(position, "truncated: the data ends here");
            position++;
            return b;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Exactly {@code n} bytes. */
    byte[] bytes(long n) {
        if (n < 0 || n > Integer.MAX_VALUE - 8) throw bad(position, "a length of " + n + " bytes is out of range");
        try {
            // readNBytes grows its buffer as data arrives, so a corrupt length cannot allocate gigabytes.
            byte[] b = in.readNBytes((int) n);
            if (b.length < n) throw bad(position + b.length, "truncated: the data ends " + b.length + " bytes into " + n);
            position += n;
            return b;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * Exactly {@code n} bytes into one array allocated up front: for storages, whose length the
     * caller has checked against the file's size, so the bytes are copied once.
     */
    byte[] readFully(int n) {
        byte[] b = new byte[n];
        try {
            int got = in.readNBytes(b, 0, n);
            if (got < n) throw bad(position + got, "truncated: the data ends " + got + " bytes into " + n);
            position += n;
            return b;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    void skip(long n) {
        try {
            in.skipNBytes(n);
            position += n;
        } catch (java.io.EOFException e) {
            throw bad(position, "truncated: the data ends within the next " + n + " bytes");
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    int u16() {
        return u8() | u8() << 8;
    }

    /** A signed 32-bit integer. */
    int i32() {
        return u16() | u16() << 16;
    }

    /** An unsigned 32-bit integer. */
    long u32() {
        return i32() & 0xffffffffL;
    }

    long i64() {
        return u32() | (long) i32() << 32;
    }

    /** A line up to (not including) {@code '\n'}, as UTF-8. */
    String line() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = u8(); b != '\n'; b = u8()) {
            if (line.size() == MAX_LINE) throw bad(position, "a text line longer than " + MAX_LINE + " bytes");
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private BadInputException unreadable(IOException e) {
        return new BadInputException(file, at(position), "could not be read: " + e.getMessage(), e);
    }
}
