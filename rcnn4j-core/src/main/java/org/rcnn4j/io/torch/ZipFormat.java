package org.rcnn4j.io.torch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.rcnn4j.io.BadInputException;

/**
 * {@code torch.save}'s format since torch 1.6: a zip archive whose entries sit in one top folder
 * (named after the file when it was written, {@code archive} in newer torch):
 * {@code <archive>/data.pkl}, the pickled object, whose tensors refer to storages by key;
 * {@code <archive>/data/<key>}, each storage's raw little-endian bytes, stored uncompressed;
 * {@code <archive>/byteorder} ({@code little} or {@code big}), which torch 2 writes and torch 1
 * does not (torch reads an archive without it as little-endian, and so does this reader); and
 * version records, which reading does not need.
 */
final class ZipFormat {
    private ZipFormat() {}

    /** The local file header signature every zip archive begins with. */
    static boolean accepts(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    static LinkedHashMap<String, TorchTensor> read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String archive = archiveFolder(file, zip);
            checkByteOrder(file, zip, archive + "/byteorder");
            String pickle = archive + "/data.pkl";
            StorageTable storages = new StorageTable();
            Object top;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(pickle)))) {
                top = RestrictedUnpickler.load(new PickleInput(in, file, pickle), storages);
            }
            LinkedHashMap<String, TorchTensor> tensors = StateDict.tensorsOf(file, top);
            for (Storage s : StateDict.rootStorages(tensors.values())) {
                s.attach(readStorage(file, zip, archive + "/data/" + s.key(), s));
            }
            return tensors;
        } catch (ZipException e) {
            throw new BadInputException(file, null, "a damaged or truncated zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "could not be read: " + e.getMessage(), e);
        }
    }

    /** The folder of {@code data.pkl}: every entry of torch's archives sits in it. */
    private static String archiveFolder(Path file, ZipFile zip) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash).equals("/data.pkl")) return name.substring(0, slash);
        }
        throw new BadInputException(file, null, "a zip archive without <archive>/data.pkl, so not written by torch.save");
    }

    private static void checkByteOrder(Path file, ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) return; // torch 1 wrote none; torch then reads little-endian
        String order;
        try (InputStream in = zip.getInputStream(entry)) {
            order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
        }
        if (!order.equals("little")) {
            throw new BadInputException(file, name, "the tensors are stored \"" + order + "\"-endian; only little-endian archives can be read");
        }
    }

    /** A storage's bytes, after checking that the entry holds all its elements. */
    private static ByteBuffer readStorage(Path file, ZipFile zip, String name, Storage s) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) throw new BadInputException(file, name, "missing: data.pkl refers to storage " + s.key());
        long need = StateDict.checkReadable(file, name, s);
        if (entry.getSize() >= 0 && entry.getSize() < need) {
            throw truncated(file, name, s, entry.getSize());
        }
        byte[] bytes = new byte[(int) need];
        int got;
        try (InputStream in = zip.getInputStream(entry)) {
            got = in.readNBytes(bytes, 0, bytes.length);
        }
        if (got < need) throw truncated(file, name, s, got);
        return ByteBuffer.wrap(bytes);
    }

    private static BadInputException truncated(Path file, String name, Storage s, long holds) {
        return new BadInputException(file, name, "truncated: holds " + holds + " bytes, storage " + s.key() + " needs "
                + s.byteSize() + " (" + s.numel() + " " + s.dtype() + " elements)");
    }
}
