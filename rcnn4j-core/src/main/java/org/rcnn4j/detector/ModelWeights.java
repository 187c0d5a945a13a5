package org.rcnn4j.detector;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * A detector's weights as one file: a magic header, then each named block's parameters in DJL's
 * own encoding, in the order of the model's {@code blocks()}. Written atomically; a truncated or
 * altered file is reported as damaged, naming the file.
 */
public final class ModelWeights {
    private static final byte[] MAGIC = "RCNN4JW1".getBytes(StandardCharsets.US_ASCII);

    private ModelWeights() {}

    /** Writes the blocks' parameters to {@code file} atomically and returns the file's SHA-256. */
    public static String save(Map<String, Block> blocks, Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.write(MAGIC);
            out.writeInt(blocks.size());
            for (Map.Entry<String, Block> e : blocks.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().saveParameters(out);
            }
            out.flush();
        });
        return sha256(file);
    }

    /**
     * Reads parameters written by {@link #save} into blocks of the same architecture.
     *
     * @param expectedSha256 the digest recorded when the file was written, or null to skip the check
     * @param recordedIn     the file that recorded {@code expectedSha256} ({@code model.json}, a checkpoint's
     *                       {@code state.json}), for the message
     * @throws BadInputException when the file is missing, damaged, or for another architecture
     */
    public static void load(Map<String, Block> blocks, Path file, NDManager manager, String expectedSha256, String recordedIn) {
        if (!Files.isRegularFile(file)) throw new BadInputException(file, null, "weights file not found");
        try {
            if (expectedSha256 != null && !expectedSha256.equals(sha256(file))) {
                throw new BadInputException(file, null, "damaged, or another model's: its SHA-256 differs from the one "
                        + recordedIn + " records");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                byte[] magic = new byte[MAGIC.length];
                in.readFully(magic);
                if (!java.util.Arrays.equals(magic, MAGIC)) {
                    throw new BadInputException(file, "header", "not an rcnn4j weights file");
                }
                int n = in.readInt();
                if (n != blocks.size()) {
                    throw new BadInputException(file, "header", "holds " + n + " blocks, the model has " + blocks.size());
                }
                for (Map.Entry<String, Block> e : blocks.entrySet()) {
                    String name = in.readUTF();
                    if (!name.equals(e.getKey())) {
                        throw new BadInputException(file, "block " + e.getKey(), "found block '" + name + "' instead");
                    }
                    List<Shape> expected = shapes(e.getValue());
                    e.getValue().loadParameters(manager, in);
                    checkShapes(file, e.getKey(), e.getValue(), expected);
                }
                if (in.read() != -1) throw new BadInputException(file, null, "damaged: trailing bytes after the last block");
            }
            releaseReadBuffers();
        } catch (EOFException e) {
            throw new BadInputException(file, null, "damaged: the file ends early", e);
        } catch (MalformedModelException | IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException(file, null, "damaged or for another architecture: " + e.getMessage(), e);
        }
    }

    /**
     * Frees the native copies DJL's reader leaves behind. It reads each parameter into a direct
     * ByteBuffer and libtorch copies that into the tensor, so after a load the weights' size again
     * (218 MB for a ResNet-50 FPN) sits in direct buffers that nothing references but that only a
     * garbage collection releases, and loading allocates too little heap to cause one soon. With
     * this collection the resident memory after loading that model fell from 783 to 570 MB
     * (2026-12-04, issue 19). One collection per model load; a JVM run with -XX:+DisableExplicitGC
     * skips it.
     */
    private static void releaseReadBuffers() {
        System.gc();
    }

    /** The shapes of {@code block}'s parameters as its config built them (null for one not initialised yet). */
    private static List<Shape> shapes(Block block) {
        List<Shape> shapes = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            shapes.add(p.getValue().isInitialized() ? p.getValue().getArray().getShape() : null);
        }
        return shapes;
    }

    /**
     * DJL loads a parameter of any shape; a weights file of another config (a model.json edited, or
     * weights.bin copied from another model with its checksum) would then run with the file's shapes,
     * not the config's, or fail deep inside a forward pass.
     */
    private static void checkShapes(Path file, String blockName, Block block, List<Shape> expected) {
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape want = expected.get(i++);
            Shape got = p.getValue().getArray().getShape();
            if (want != null && !want.equals(got)) {
                throw new BadInputException(file, "block " + blockName + ", parameter " + p.getKey(), "shape " + got
                        + " but the model's config gives " + want + "; weights and config are of different models");
            }
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
