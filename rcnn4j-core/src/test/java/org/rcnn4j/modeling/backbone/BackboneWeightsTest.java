package org.rcnn4j.modeling.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;

/** Save, load, and every way a weights file can be wrong. */
class BackboneWeightsTest {
    @TempDir
    Path dir;

    private static float[] output(Backbone b, NDManager m, NDArray image) {
        return b.features(new ParameterStore(m, false), image, false).toFloatArray();
    }

    @Test
    void roundTripGivesIdenticalOutputs() throws IOException {
        Path file = dir.resolve("w/tiny.weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 42);
            NDArray image = m.randomNormal(new Shape(1, 3, 80, 48));
            float[] before = output(b, m, image);
            b.save(file);
            assertEquals("tiny", BackboneWeights.readName(file));
            try (NDManager m2 = NDManager.newBaseManager()) {
                Backbone loaded = Backbone.load(file, m2);
                assertEquals("tiny", loaded.name());
                assertArrayEquals(before, output(loaded, m2, image.toDevice(m2.getDevice(), true)), 0f);
                assertTrue(loaded.getParameters().values().stream().allMatch(p -> p.getArray().hasGradient()),
                        "loaded parameters are trainable");
            }
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOther() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray image = m.randomNormal(new Shape(1, 3, 32, 32));
            Backbone a = Backbones.create("tiny"), b = Backbones.create("tiny"), c = Backbones.create("tiny");
            a.initialize(m, 7);
            b.initialize(m, 7);
            c.initialize(m, 8);
            assertArrayEquals(output(a, m, image), output(b, m, image), 0f);
            assertFalse(Arrays.equals(output(a, m, image), output(c, m, image)));
        }
    }

    /** He initialisation: a 3 x 3 convolution from 16 channels has deviation sqrt(2 / 144). */
    @Test
    void kaimingDeviationFollowsFanIn() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = SeededNormalInitializer.kaiming(3).initialize(m, new Shape(64, 16, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
            float[] v = w.toFloatArray();
            double sum = 0, sq = 0;
            for (float x : v) {
                sum += x;
                sq += x * x;
            }
            double mean = sum / v.length, sd = Math.sqrt(sq / v.length - mean * mean);
            assertEquals(0, mean, 0.01);
            assertEquals(Math.sqrt(2.0 / 144), sd, 0.005);
        }
    }

    private Path saved(String name) {
        Path file = dir.resolve(name + ".weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create(name);
            b.initialize(m, 1);
            b.save(file);
        }
        return file;
    }

    private static BadInputException rejects(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Backbone.load(file, m);
            }
        });
        assertEquals(file.toString(), e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void flippedByteInsideAWeightIsDetected() throws IOException {
        Path file = saved("tiny");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x40;
        Files.write(file, bytes);
        assertTrue(rejects(file).getMessage().contains("checksum"));
    }

    @Test
    void truncatedFileIsDetected() throws IOException {
        Path file = saved("tiny");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        rejects(file);
        Files.write(file, Arrays.copyOf(bytes, 10));
        rejects(file);
    }

    /** Loading and reading the header's name alike: an empty file, or one shorter than the header, in one line. */
    @Test
    void emptyAndShortFilesSaySoFromTheHeader() throws IOException {
        Path empty = Files.write(dir.resolve("empty.weights"), new byte[0]);
        Path tiny = Files.writeString(dir.resolve("tiny.weights"), "garbage");
        assertEquals(empty + ": header: empty file, not rcnn4j backbone weights", rejects(empty).getMessage());
        assertEquals(empty + ": header: empty file, not rcnn4j backbone weights",
                assertThrows(BadInputException.class, () -> BackboneWeights.readName(empty)).getMessage());
        String shortFile = tiny + ": header: the file ends within the header (7 bytes): truncated, or not rcnn4j backbone weights";
        assertEquals(shortFile, rejects(tiny).getMessage());
        assertEquals(shortFile, assertThrows(BadInputException.class, () -> BackboneWeights.readName(tiny)).getMessage());
    }

    @Test
    void foreignFilesAreRejected() throws IOException {
        Path text = dir.resolve("notes.weights");
        Files.writeString(text, "these are not weights, just a long enough line of text");
        assertTrue(rejects(text).getMessage().contains("not an rcnn4j backbone weights file"));
        Path missing = dir.resolve("missing.weights");
        assertTrue(rejects(missing).getMessage().contains("no such file"));
    }

    /** fc6 and fc7 after a spatial pyramid: written as version 3 with the levels; grid files stay version 2. */
    @Test
    void pyramidFcLayersRoundTripAsVersion3() throws IOException {
        Path pyramid = dir.resolve("spp.weights");
        Path grid = dir.resolve("grid.weights");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 3);
            int c = b.output().channels();
            Linear fc6 = Linear.builder().setUnits(8).build(), fc7 = Linear.builder().setUnits(4).build();
            fc6.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, c * 14L));
            fc7.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8));
            PretrainedFc fc = PretrainedFc.afterPyramid(fc6, fc7, c, List.of(3, 2, 1));
            assertEquals(14, fc.cellsPerChannel());
            BackboneWeights.save(b, fc, pyramid);
            PretrainedFc read = BackboneWeights.readFc(pyramid);
            assertEquals(List.of(3, 2, 1), read.sppLevels());
            assertEquals(List.of(c, 0, 8, 4), List.of(read.channels(), read.poolSize(), read.fc6(), read.fc7()));
            assertArrayEquals(fc.parameters(), read.parameters());
            BackboneWeights.save(b, PretrainedFc.of(fc6, fc7, c, 2), grid);
        }
        assertEquals(3, java.nio.ByteBuffer.wrap(Files.readAllBytes(pyramid), 8, 4).getInt(), "format version");
        assertEquals(2, java.nio.ByteBuffer.wrap(Files.readAllBytes(grid), 8, 4).getInt(),
                "a file without a pyramid stays readable by every rcnn4j since version 2");
        assertEquals(List.of(), BackboneWeights.readFc(grid).sppLevels());
    }

    /** A file with fc6 and fc7 after the backbone: both come back as written. */
    @Test
    void fcLayersRoundTripAndTheirDamageIsNamed() throws IOException {
        Path file = dir.resolve("fc.weights");
        byte[] fcBytes;
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 3);
            Linear fc6 = Linear.builder().setUnits(8).build(), fc7 = Linear.builder().setUnits(4).build();
            fc6.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, b.output().channels() * 4L));
            fc7.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8));
            PretrainedFc fc = PretrainedFc.of(fc6, fc7, b.output().channels(), 2);
            fcBytes = fc.parameters();
            BackboneWeights.save(b, fc, file);
            PretrainedFc read = BackboneWeights.readFc(file);
            assertEquals(List.of(b.output().channels(), 2, 8, 4), List.of(read.channels(), read.poolSize(), read.fc6(), read.fc7()));
            assertArrayEquals(fcBytes, read.parameters());
            try (NDManager m2 = NDManager.newBaseManager()) {
                NDArray image = m.randomNormal(new Shape(1, 3, 32, 32));
                assertArrayEquals(output(b, m, image), output(Backbone.load(file, m2), m2, image.toDevice(m2.getDevice(), true)), 0f);
            }
        }
        assertNull(BackboneWeights.readFc(saved("tiny")), "a backbone-only file has no fc layers");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - fcBytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        BadInputException e = rejects(file);
        assertEquals("fc6/fc7", e.where());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    /** Files of format version 1 (the backbone only, nothing after its payload) still load. */
    @Test
    void versionOneFilesStillLoad() throws IOException {
        Path file = saved("tiny");
        byte[] v2 = Files.readAllBytes(file);
        assertEquals(0, v2[v2.length - 1], "version 2 ends with 'no fc layers'");
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
        v1[11] = 1; // the format version's low byte, after the 8-byte magic
        Path old = dir.resolve("old.weights");
        Files.write(old, v1);
        try (NDManager m = NDManager.newBaseManager(); NDManager m2 = NDManager.newBaseManager()) {
            NDArray image = m.randomNormal(new Shape(1, 3, 32, 32));
            assertArrayEquals(output(Backbone.load(file, m), m, image), output(Backbone.load(old, m2), m2, image.toDevice(m2.getDevice(), true)), 0f);
        }
        assertNull(BackboneWeights.readFc(old));
    }

    /** A valid checksum over parameters of another architecture: the shapes or names do not fit. */
    @Test
    void parametersOfAnotherBackboneAreRejected() throws IOException {
        Path tiny = saved("tiny");
        Path zf = saved("zf");
        byte[] a = Files.readAllBytes(tiny);
        byte[] b = Files.readAllBytes(zf);
        // Take zf's header (name "zf", its length and checksum) ... then swap names: a tiny payload under zf's name.
        int headerTiny = 8 + 4 + 2 + "tiny".length();
        int headerZf = 8 + 4 + 2 + "zf".length();
        byte[] forged = new byte[headerZf + (a.length - headerTiny)];
        System.arraycopy(b, 0, forged, 0, headerZf);
        System.arraycopy(a, headerTiny, forged, headerZf, a.length - headerTiny);
        Path file = dir.resolve("forged.weights");
        Files.write(file, forged);
        BadInputException e = rejects(file);
        assertTrue(e.getMessage().contains("zf"), e.getMessage());
    }
}
