package org.rcnn4j.data.synth;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.rcnn4j.io.BadInputException;

/**
 * One part of Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): N items of 28 x 28 grey bytes
 * (0 = background, 255 = brightest, row-major) and their labels 0..9.
 *
 * <p>Read from the idx files as the Debian package {@code dataset-fashion-mnist} installs them
 * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz} and the {@code t10k-}
 * pair, gzip'd) or as plain idx files without {@code .gz}. Label {@code k} is class index
 * {@code k + 1} of {@link #CLASS_NAMES}.
 */
public final class FashionMnist {
    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Item side in pixels. */
    public static final int SIDE = 28;
    /** The ten classes in label order (label 0 is {@code t-shirt}). */
    public static final List<String> CLASS_NAMES = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot");
    static final String NOT_FOUND =
            "Fashion-MNIST not found; install it with: apt-get install dataset-fashion-mnist (or pass --source DIR)";
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** The two parts of the data set, by file prefix. */
    public enum Part {
        /** 60 000 training items ({@code train-*}). */
        TRAIN("train"),
        /** 10 000 test items ({@code t10k-*}). */
        TEST("t10k");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }
    }

    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(byte[] pixels, byte[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /**
     * Reads one part from {@code dir}.
     *
     * @throws BadInputException naming {@code dir} when the files are not there, or naming the
     *                           file when it is not a valid idx file of 28 x 28 items and labels 0..9
     */
    public static FashionMnist read(Path dir, Part part) {
        Path imagesFile = find(dir, part.prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, part.prefix + "-labels-idx1-ubyte");
        byte[] pixels = readIdx(imagesFile, IMAGES_MAGIC, SIDE * SIDE);
        byte[] labels = readIdx(labelsFile, LABELS_MAGIC, 1);
        if (labels.length != pixels.length / (SIDE * SIDE)) {
            throw new BadInputException(labelsFile, null,
                    labels.length + " labels but " + imagesFile.getFileName() + " has " + pixels.length / (SIDE * SIDE) + " items");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASS_NAMES.size()) {
                throw new BadInputException(labelsFile, "label " + i, "value " + (labels[i] & 0xFF) + " is not a class 0-9");
            }
        }
        return new FashionMnist(pixels, labels);
    }

    private static Path find(Path dir, String stem) {
        Path gz = dir.resolve(stem + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(stem);
        if (Files.isRegularFile(plain)) return plain;
        throw new BadInputException(dir, null, NOT_FOUND);
    }

    /** The payload of an idx file: checks magic, item shape and length; {@code itemBytes} per item. */
    private static byte[] readIdx(Path file, int magic, int itemBytes) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DataInputStream in = new DataInputStream(file.toString().endsWith(".gz")
                        ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw)) {
            int m = in.readInt();
            if (m != magic) {
                throw new BadInputException(file, "header",
                        String.format("magic number 0x%08X, expected 0x%08X (not a Fashion-MNIST idx file)", m, magic));
            }
            int n = in.readInt();
            if (n < 0) throw new BadInputException(file, "header", "negative item count " + n);
            if (itemBytes > 1) {
                int rows = in.readInt();
                int cols = in.readInt();
                if (rows != SIDE || cols != SIDE) {
                    throw new BadInputException(file, "header", "items are " + rows + "x" + cols + ", expected 28x28");
                }
            }
            byte[] data = new byte[Math.multiplyExact(n, itemBytes)];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new BadInputException(file, null, "truncated: the header announces " + n + " items", e);
            }
            return data;
        } catch (EOFException e) {
            throw new BadInputException(file, "header", "truncated header", e);
        } catch (ZipException e) {
            throw new BadInputException(file, null, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Number of items N. */
    public int size() {
        return labels.length;
    }

    /** Label of item {@code i}, 0..9 (class index {@code label + 1}). */
    public int label(int i) {
        return labels[i];
    }

    /** Item {@code i}: a fresh copy of its 784 bytes, row-major, 0 = background. */
    public byte[] item(int i) {
        byte[] out = new byte[SIDE * SIDE];
        copyItem(i, out, 0);
        return out;
    }

    /** Copies item {@code i}'s 784 bytes into {@code dest} at {@code destPos} (for batching without garbage). */
    public void copyItem(int i, byte[] dest, int destPos) {
        System.arraycopy(pixels, i * SIDE * SIDE, dest, destPos, SIDE * SIDE);
    }

    /** Pixel {@code (x, y)} of item {@code i}, 0..255. */
    public int pixel(int i, int x, int y) {
        return pixels[i * SIDE * SIDE + y * SIDE + x] & 0xFF;
    }
}
