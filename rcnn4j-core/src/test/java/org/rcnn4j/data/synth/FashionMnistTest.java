package org.rcnn4j.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;

class FashionMnistTest {
    private static final String NOT_FOUND =
            "Fashion-MNIST not found; install it with: apt-get install dataset-fashion-mnist (or pass --source DIR)";

    /** An idx file: magic, dims, payload; gzip'd when {@code gz}. */
    static void writeIdx(Path file, int magic, int[] dims, byte[] payload, boolean gz) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) out.writeInt(d);
            out.write(payload);
        }
        try (OutputStream out = gz ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes.toByteArray());
        }
    }

    /** Three training items: item i has every pixel = 10 * (i + 1), except pixel (x=3, y=2) = 255. */
    private static void writeTinyTrain(Path dir, boolean gz, byte[] labels) throws IOException {
        byte[] pixels = new byte[3 * 784];
        for (int i = 0; i < 3; i++) {
            Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) (10 * (i + 1)));
            pixels[i * 784 + 2 * 28 + 3] = (byte) 255;
        }
        String ext = gz ? ".gz" : "";
        writeIdx(dir.resolve("train-images-idx3-ubyte" + ext), 0x803, new int[] {3, 28, 28}, pixels, gz);
        writeIdx(dir.resolve("train-labels-idx1-ubyte" + ext), 0x801, new int[] {labels.length}, labels, gz);
    }

    @Test
    void readsGzippedAndPlainIdxFiles(@TempDir Path tmp) throws IOException {
        for (boolean gz : new boolean[] {true, false}) {
            Path dir = Files.createDirectories(tmp.resolve("gz" + gz));
            writeTinyTrain(dir, gz, new byte[] {9, 0, 4});
            FashionMnist m = FashionMnist.read(dir, FashionMnist.Part.TRAIN);
            assertEquals(3, m.size());
            assertEquals(9, m.label(0));
            assertEquals(4, m.label(2));
            assertEquals(30, m.pixel(2, 0, 0));
            assertEquals(255, m.pixel(1, 3, 2));
            byte[] item = m.item(1);
            assertEquals(784, item.length);
            assertEquals(20, item[0]);
            assertEquals((byte) 255, item[2 * 28 + 3]);
            byte[] batch = new byte[2 * 784];
            m.copyItem(0, batch, 784);
            assertArrayEquals(m.item(0), Arrays.copyOfRange(batch, 784, 2 * 784));
        }
    }

    @Test
    void missingDataSaysHowToInstall(@TempDir Path tmp) {
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TEST));
        assertEquals(tmp + ": " + NOT_FOUND, e.getMessage());
        assertEquals(tmp.toString(), e.file());
        BadInputException g = assertThrows(BadInputException.class,
                () -> new FashionGenerator(tmp.resolve("absent")).generate(new SynthSpec("train", 1, 320, 1), tmp.resolve("out")));
        assertEquals(tmp.resolve("absent") + ": " + NOT_FOUND, g.getMessage());
    }

    @Test
    void wrongMagicNamesFileAndHeader(@TempDir Path tmp) throws IOException {
        writeTinyTrain(tmp, true, new byte[] {1, 2, 3});
        writeIdx(tmp.resolve("train-images-idx3-ubyte.gz"), 0x801, new int[] {3, 28, 28}, new byte[3 * 784], true);
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TRAIN));
        assertEquals(tmp.resolve("train-images-idx3-ubyte.gz").toString(), e.file());
        assertEquals("header", e.where());
    }

    @Test
    void truncatedPayloadNamesFile(@TempDir Path tmp) throws IOException {
        writeTinyTrain(tmp, true, new byte[] {1, 2, 3});
        writeIdx(tmp.resolve("train-images-idx3-ubyte.gz"), 0x803, new int[] {3, 28, 28}, new byte[2 * 784], true);
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TRAIN));
        assertEquals(tmp.resolve("train-images-idx3-ubyte.gz").toString(), e.file());
        assertTrue(e.what().contains("truncated"), e.what());
    }

    @Test
    void notGzipNamesFile(@TempDir Path tmp) throws IOException {
        writeTinyTrain(tmp, true, new byte[] {1, 2, 3});
        Files.write(tmp.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TRAIN));
        assertEquals(tmp.resolve("train-labels-idx1-ubyte.gz").toString(), e.file());
    }

    @Test
    void badLabelAndCountMismatchNameLabelsFile(@TempDir Path tmp) throws IOException {
        writeTinyTrain(tmp, true, new byte[] {1, 12, 3});
        BadInputException e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TRAIN));
        assertEquals("label 1", e.where());
        writeTinyTrain(tmp, true, new byte[] {1, 2});
        e = assertThrows(BadInputException.class, () -> FashionMnist.read(tmp, FashionMnist.Part.TRAIN));
        assertEquals(tmp.resolve("train-labels-idx1-ubyte.gz").toString(), e.file());
    }

    @Test
    void installedPackageHasSixtyThousandPlusTenThousandBalancedItems() {
        Path dir = FashionMnist.DEFAULT_DIR;
        assumeTrue(Files.exists(dir), "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
        FashionMnist train = FashionMnist.read(dir, FashionMnist.Part.TRAIN);
        FashionMnist test = FashionMnist.read(dir, FashionMnist.Part.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) perClass[test.label(i)]++;
        for (int k = 0; k < 10; k++) assertEquals(1000, perClass[k], "t10k has 1000 items of class " + k);
        // The data set's background is black: corners of items are almost always 0.
        int darkCorners = 0;
        for (int i = 0; i < 1000; i++) if (train.pixel(i, 0, 0) == 0) darkCorners++;
        assertTrue(darkCorners > 950, "dark corners " + darkCorners);
    }
}
