package org.rcnn4j.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Where the checked-in fixtures are, and small writers for files crafted inside a test. */
final class TorchFixtures {
    static final Path DIR = resources();

    private TorchFixtures() {}

    private static Path resources() {
        try {
            return Path.of(TorchFixtures.class.getResource("/torch").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The entries of a zip archive by name, in archive order. Through ZipFile: torch writes stored
     * entries with data descriptors, which ZipInputStream cannot read.
     */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** Writes a zip archive of these entries (deflated: the reader does not depend on torch's stored entries). */
    static Path writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    /** A zip archive laid out as torch's, holding one pickle and these storages. */
    static Path zipWithPickle(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((key, bytes) -> entries.put("archive/data/" + key, bytes));
        return writeZip(file, entries);
    }

    /** A safetensors file: the header length, this JSON header as it is, then the data. */
    static Path writeSafetensors(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
            out.write(json);
            out.write(data);
        }
        return file;
    }

    /** Little-endian float32 bytes. */
    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /**
     * Pickle bytes written opcode by opcode: {@code op} appends raw bytes, the others one opcode
     * with its argument, as pickle's own writer lays them out.
     */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        /** BINUNICODE: a 4-byte length, then UTF-8. */
        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            return le(b.length, 4).raw(b);
        }

        /** SHORT_BINUNICODE (protocol 4): a 1-byte length, then UTF-8. */
        Pickle shortStr(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return op(0x8c, b.length).raw(b);
        }

        /** GLOBAL: module and name as two lines. */
        Pickle global(String module, String name) {
            op('c');
            return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /** BININT1 below 256, else BININT. */
        Pickle integer(int v) {
            return v >= 0 && v < 256 ? op('K', v) : op('J').le(v, 4);
        }

        /** A persistent id {@code ('storage', torch.<storageClass>, key, 'cpu', numel)} and BINPERSID. */
        Pickle storage(String storageClass, String key, int numel) {
            return op('(').str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).op('t', 'Q');
        }

        /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())} after the storage's id. */
        Pickle rebuild(String storageClass, String key, int numel, int offset, int[] size, int[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(').storage(storageClass, key, numel).integer(offset);
            op('(');
            for (int s : size) integer(s);
            op('t', '(');
            for (int s : stride) integer(s);
            return op('t', 0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        }

        Pickle le(long v, int bytes) {
            for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)));
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
