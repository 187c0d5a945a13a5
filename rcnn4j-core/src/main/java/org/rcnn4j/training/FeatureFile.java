package org.rcnn4j.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.Float16;

/**
 * One image's file of a {@link FeatureCache}, little-endian throughout:
 * <pre>
 *   offset  size      field
 *   0       4         magic "RCFF" (0x52 0x43 0x46 0x46)
 *   4       4         int32  format version, {@value #VERSION}
 *   8       4         int32  R, the number of boxes (rows)
 *   12      4         int32  d, features per row
 *   16      16·R      float32 boxes, R×4 (x1, y1, x2, y2 in the image's pixels)
 *   16+16R  2·R·d     float16 features, R×d row-major, unscaled
 * </pre>
 * so a file is exactly {@code 16 + 16·R + 2·R·d} bytes, which is how truncation is detected. Files
 * are written through {@link AtomicFiles} (temporary sibling, then rename): a crash leaves the whole
 * file or none.
 */
final class FeatureFile {
    private FeatureFile() {}

    static final int VERSION = 1;
    static final int HEADER_BYTES = 16;
    /** Features are converted and written in chunks of this many values, so no second full-size copy exists. */
    private static final int CHUNK = 1 << 15;

    /** Bytes of a file of {@code r} rows of {@code d} features. */
    static long sizeOf(long r, long d) {
        return HEADER_BYTES + 16 * r + 2 * r * d;
    }

    static void write(Path file, long imageId, float[] boxes, float[] features, int d) throws IOException {
        if (boxes.length % 4 != 0) {
            throw new IllegalArgumentException("image " + imageId + ": " + boxes.length + " box values, not a multiple of 4");
        }
        int r = boxes.length / 4;
        if ((long) r * d != features.length) {
            throw new IllegalArgumentException("image " + imageId + ": " + r + " boxes need " + (long) r * d
                    + " feature values (d = " + d + "), got " + features.length);
        }
        if (sizeOf(r, d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image " + imageId + ": " + r + "×" + d + " features exceed 2 GiB in one file");
        }
        // Checked before anything is written: a raw feature beyond the half's range would read back as
        // infinity and poison every SVM score it touches.
        for (int i = 0; i < features.length; i++) {
            float v = features[i];
            if (Float.isNaN(v) || Math.abs(v) >= 65520f) {
                throw new IllegalArgumentException("image " + imageId + ": feature value " + v + " at row " + i / d
                        + " is not representable as float16 (finite, |v| < 65520)");
            }
        }
        AtomicFiles.write(file, out -> {
            ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES + 16 * r).order(ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 'R').put((byte) 'C').put((byte) 'F').put((byte) 'F');
            head.putInt(VERSION).putInt(r).putInt(d);
            for (float b : boxes) head.putFloat(b);
            out.write(head.array());
            writeHalves(out, features);
        });
    }

    private static void writeHalves(OutputStream out, float[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(2 * Math.min(CHUNK, Math.max(values.length, 1))).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += CHUNK) {
            int end = Math.min(values.length, start + CHUNK);
            buf.clear();
            for (int i = start; i < end; i++) buf.putShort(Float16.toHalf(values[i]));
            out.write(buf.array(), 0, buf.position());
        }
    }

    /**
     * Reads a file, multiplying every feature by {@code scale}.
     *
     * @throws BadInputException naming the file when it is not a feature file, of another d, or truncated
     */
    static FeatureCache.Rows read(Path file, int d, float scale) throws IOException {
        long size = Files.size(file);
        if (size < HEADER_BYTES) {
            throw new BadInputException(file, null, "truncated: " + size + " bytes, shorter than the "
                    + HEADER_BYTES + "-byte header; delete it and fill the cache again");
        }
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer head = ByteBuffer.wrap(in.readNBytes(HEADER_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            if (head.get(0) != 'R' || head.get(1) != 'C' || head.get(2) != 'F' || head.get(3) != 'F') {
                throw new BadInputException(file, "magic", "not an rcnn4j feature file");
            }
            int version = head.getInt(4);
            if (version != VERSION) {
                throw new BadInputException(file, "version", "format " + version + ", this build reads " + VERSION);
            }
            int r = head.getInt(8);
            int fileD = head.getInt(12);
            if (r < 0) throw new BadInputException(file, "R", "negative box count " + r);
            if (fileD != d) throw new BadInputException(file, "d", fileD + " features per row, the cache's manifest says " + d);
            long expected = sizeOf(r, d);
            if (size != expected) {
                throw new BadInputException(file, null, (size < expected ? "truncated: " : "damaged: ") + size
                        + " bytes, expected " + expected + " for " + r + " rows of " + d + "; delete it and fill the cache again");
            }
            ByteBuffer boxBytes = ByteBuffer.wrap(readFully(in, 16 * r, file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] boxes = new float[4 * r];
            for (int i = 0; i < boxes.length; i++) boxes[i] = boxBytes.getFloat();
            float[] features = new float[r * d];
            for (int start = 0; start < features.length; start += CHUNK) {
                int n = Math.min(CHUNK, features.length - start);
                ByteBuffer buf = ByteBuffer.wrap(readFully(in, 2 * n, file)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) features[start + i] = Float16.toFloat(buf.getShort()) * scale;
            }
            return new FeatureCache.Rows(boxes, features);
        }
    }

    /** The file shrank between the size check and the read (another writer): still one line. */
    private static byte[] readFully(InputStream in, int n, Path file) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new BadInputException(file, null, "truncated while reading; delete it and fill the cache again");
        return b;
    }
}
