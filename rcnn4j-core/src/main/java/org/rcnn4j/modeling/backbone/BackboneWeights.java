package org.rcnn4j.modeling.backbone;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * The weights file of one backbone, and optionally of the fc6 and fc7 layers pre-trained with it.
 * Layout (big-endian):
 * <pre>
 *   8 bytes  magic "RCNN4JBB"
 *   int      format version (3 when the fc layers follow a spatial pyramid, else 2; version 1 files
 *            end after the backbone's payload)
 *   UTF      backbone name, as {@link Backbones#create} knows it
 *   long     payload length in bytes
 *   long     CRC-32 of the payload
 *   payload  DJL's {@code Block.saveParameters} stream of the backbone
 *   byte     1 when fc6 and fc7 follow, else 0 (version 2)
 *   4 ints   channels, pool size, fc6 units, fc7 units of the {@link PretrainedFc} layers
 *   int, ints  (version 3) the number of spatial pyramid levels, then each level's bins per side
 *   long, long, payload   as above: length, CRC-32 and DJL's stream of fc6 then fc7
 * </pre>
 * The checksums catch damage that DJL's own stream would load silently (a changed byte inside a
 * weight array). Files are written atomically; a damaged or foreign file is a
 * {@link BadInputException} naming it and the part.
 */
public final class BackboneWeights {
    private static final byte[] MAGIC = "RCNN4JBB".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 3;
    /** The version written when no part needs version 3: files read by every rcnn4j since version 2. */
    private static final int GRID_VERSION = 2;

    private BackboneWeights() {}

    /** Writes {@code backbone}'s parameters (it must be initialised) to {@code file}, atomically. */
    public static void save(Backbone backbone, Path file) {
        save(backbone, null, file);
    }

    /**
     * Writes {@code backbone}'s parameters and, when not null, the pre-trained fc6 and fc7 to
     * {@code file}, atomically.
     */
    public static void save(Backbone backbone, PretrainedFc fc, Path file) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            backbone.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.writeUnchecked(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.write(MAGIC);
            boolean pyramid = fc != null && !fc.sppLevels().isEmpty();
            out.writeInt(pyramid ? FORMAT_VERSION : GRID_VERSION);
            out.writeUTF(backbone.name());
            writeChecked(out, payload.toByteArray());
            out.writeBoolean(fc != null);
            if (fc != null) {
                out.writeInt(fc.channels());
                out.writeInt(fc.poolSize());
                out.writeInt(fc.fc6());
                out.writeInt(fc.fc7());
                if (pyramid) {
                    out.writeInt(fc.sppLevels().size());
                    for (int n : fc.sppLevels()) out.writeInt(n);
                }
                writeChecked(out, fc.parameters());
            }
            out.flush();
        });
    }

    /**
     * Reads the backbone stored in {@code file}: builds it by the name in the header and loads its
     * parameters into arrays of {@code manager}.
     *
     * @throws BadInputException naming {@code file} when it is missing, not a backbone weights file,
     *                           truncated, damaged (checksum), names an unknown backbone, or holds
     *                           parameters of other shapes than that backbone's
     */
    public static Backbone load(Path file, NDManager manager) {
        return loadWithFc(file, manager).backbone();
    }

    /** A backbone and the pre-trained fc6 and fc7 stored with it (null when there are none). */
    public record Stored(Backbone backbone, PretrainedFc fc) {}

    /**
     * The backbone in {@code file}, as {@link #load}, with the fc6 and fc7 stored beside it: one
     * read of the file for both.
     *
     * @throws BadInputException as {@link #load} does
     */
    public static Stored loadWithFc(Path file, NDManager manager) {
        Contents contents = read(file);
        Backbone backbone;
        try {
            backbone = Backbones.create(contents.name());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, "header", e.getMessage(), e);
        }
        loadPayload(backbone, contents.backbone(), file, manager);
        return new Stored(backbone, contents.fc());
    }

    /**
     * The pre-trained fc6 and fc7 stored in {@code file}, or null when it holds the backbone only
     * (pre-trained with a global-pooling classifier, or written by format version 1).
     *
     * @throws BadInputException as {@link #load} does
     */
    public static PretrainedFc readFc(Path file) {
        return read(file).fc();
    }

    /** What a weights file holds, checked but not yet turned into blocks. */
    private record Contents(String name, byte[] backbone, PretrainedFc fc) {}

    private static Contents read(Path file) {
        byte[] all = readAll(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new BadInputException(file, "header", "not an rcnn4j backbone weights file");
            int version = in.readInt();
            if (version < 1 || version > FORMAT_VERSION) {
                throw new BadInputException(file, "header", "format version " + version + ", this rcnn4j reads 1 to " + FORMAT_VERSION);
            }
            String name = in.readUTF();
            byte[] backbone = readChecked(in, file, "payload");
            PretrainedFc fc = null;
            if (version >= 2 && in.readBoolean()) {
                int channels = in.readInt(), pool = in.readInt(), fc6 = in.readInt(), fc7 = in.readInt();
                List<Integer> levels = new ArrayList<>();
                if (version >= 3) {
                    int n = in.readInt();
                    if (n < 0 || n > 64) throw new BadInputException(file, "fc6/fc7", "spatial pyramid of " + n + " levels");
                    for (int i = 0; i < n; i++) levels.add(in.readInt());
                }
                byte[] parameters = readChecked(in, file, "fc6/fc7");
                try {
                    fc = new PretrainedFc(channels, pool, fc6, fc7, parameters, levels);
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(file, "fc6/fc7", e.getMessage(), e);
                }
            }
            if (in.available() != 0) throw new BadInputException(file, "payload", in.available() + " bytes after the last part (extended or damaged)");
            return new Contents(name, backbone, fc);
        } catch (EOFException e) {
            throw new BadInputException(file, "header", endsEarly(file), e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Why a file that ended inside its header is refused: empty, or too short to be weights. */
    private static String endsEarly(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        return size == 0 ? "empty file, not rcnn4j backbone weights"
                : "the file ends within the header (" + size + " bytes): truncated, or not rcnn4j backbone weights";
    }

    private static void writeChecked(DataOutputStream out, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        out.writeLong(bytes.length);
        out.writeLong(crc.getValue());
        out.write(bytes);
    }

    /** A length, a CRC-32 and that many bytes, checked; {@code part} names them in errors. */
    private static byte[] readChecked(DataInputStream in, Path file, String part) throws IOException {
        long length = in.readLong();
        long checksum = in.readLong();
        if (length < 0 || length > in.available()) {
            throw new BadInputException(file, part, "length " + length + " bytes, " + in.available() + " left in the file (truncated)");
        }
        byte[] bytes = in.readNBytes((int) length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (crc.getValue() != checksum) throw new BadInputException(file, part, "checksum mismatch: the file is damaged");
        return bytes;
    }

    /** Reads only the backbone name from {@code file}'s header. */
    public static String readName(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new BadInputException(file, "header", "not an rcnn4j backbone weights file");
            in.readInt();
            return in.readUTF();
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "no such file", e);
        } catch (EOFException e) {
            throw new BadInputException(file, "header", endsEarly(file), e);
        } catch (IOException e) {
            throw new BadInputException(file, "header", "cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads DJL's parameter stream into {@code backbone}, first shaped with zero-filled arrays so
     * the stored shapes can be checked against the architecture's.
     */
    private static void loadPayload(Backbone backbone, byte[] payload, Path file, NDManager manager) {
        backbone.setInitializer(Initializer.ZEROS, p -> true);
        backbone.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, Backbone.INIT_SIDE, Backbone.INIT_SIDE));
        List<Pair<String, Parameter>> params = new ArrayList<>();
        backbone.getParameters().forEach(params::add);
        List<Shape> expected = new ArrayList<>();
        List<NDArray> zeroArrays = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            expected.add(p.getValue().getShape());
            zeroArrays.add(p.getValue().getArray());
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            backbone.loadParameters(manager, in);
            if (in.available() != 0) throw new BadInputException(file, "payload", in.available() + " bytes left after the last parameter");
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof BadInputException b) throw b;
            throw new BadInputException(file, "payload", "not the parameters of " + backbone.name() + ": " + e.getMessage(), e);
        } finally {
            zeroArrays.forEach(NDArray::close);
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i).getValue();
            if (!p.getArray().getShape().equals(expected.get(i))) {
                throw new BadInputException(file, params.get(i).getKey(),
                        "shape " + p.getArray().getShape() + ", " + backbone.name() + " expects " + expected.get(i));
            }
            if (p.requiresGradient()) p.getArray().setRequiresGradient(true);
        }
    }
}
