package org.rcnn4j.io.torch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.io.BadInputException;

/**
 * {@code torch.save}'s format before torch 1.6 (and after, with
 * {@code _use_new_zipfile_serialization=False}): five pickles one after another (the magic number
 * 0x1950a86a20f9469cfc6c, the protocol version 1001, a dict of system facts with
 * {@code little_endian}, the object itself, and the list of storage keys), then for each key in
 * that list an int64 element count and the storage's raw bytes. All integers are little-endian on
 * the machines torch runs on; a file written big-endian says so in its system facts and is refused.
 */
final class LegacyFormat {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private LegacyFormat() {}

    /** A pickle's PROTO opcode; whether the magic number follows is known only by reading it. */
    static boolean accepts(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x80;
    }

    static LinkedHashMap<String, TorchTensor> read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream raw = Files.newInputStream(file)) {
            PickleInput in = new PickleInput(new BufferedInputStream(raw, 1 << 16), file, null);
            checkHeader(file, in);
            StorageTable storages = new StorageTable();
            Object top = RestrictedUnpickler.load(in, storages);
            long keysAt = in.position();
            Object keys = RestrictedUnpickler.load(in, RestrictedUnpickler.NO_PERSISTENT_IDS);
            if (!(keys instanceof List<?> keyList)) throw in.bad(keysAt, "the storage key list is a " + TorchGlobals.typeName(keys));
            LinkedHashMap<String, TorchTensor> tensors = StateDict.tensorsOf(file, top);
            readStorages(file, in, size, keyList, storages, StateDict.rootStorages(tensors.values()));
            return tensors;
        }
    }

    private static void checkHeader(Path file, PickleInput in) {
        Object magic;
        try {
            magic = RestrictedUnpickler.load(in, RestrictedUnpickler.NO_PERSISTENT_IDS);
        } catch (BadInputException e) {
            throw new BadInputException(file, null, StateDict.NOT_RECOGNISED, e);
        }
        if (!MAGIC.equals(magic instanceof Long l ? BigInteger.valueOf(l) : magic)) {
            throw new BadInputException(file, null, StateDict.NOT_RECOGNISED);
        }
        long at = in.position();
        Object version = RestrictedUnpickler.load(in, RestrictedUnpickler.NO_PERSISTENT_IDS);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            throw in.bad(at, "legacy torch.save protocol version " + version + ", expected " + PROTOCOL_VERSION);
        }
        at = in.position();
        Object sysInfo = RestrictedUnpickler.load(in, RestrictedUnpickler.NO_PERSISTENT_IDS);
        if (sysInfo instanceof Map<?, ?> facts && Boolean.FALSE.equals(facts.get("little_endian"))) {
            throw in.bad(at, "written on a big-endian machine (sys_info little_endian=False); only little-endian files can be read");
        }
    }

    /**
     * Walks the storages in file order, reading those a kept tensor uses and skipping the rest (an
     * optimizer's buffers in a checkpoint).
     */
    private static void readStorages(Path file, PickleInput in, long fileSize, List<?> keys, StorageTable storages,
            Set<Storage> wanted) {
        for (Object k : keys) {
            String where = "storage " + k;
            Storage s = k instanceof String key ? storages.get(key) : null;
            if (s == null) throw new BadInputException(file, where, "is in the storage list, but the pickle never names it");
            long at = in.position();
            if (at + 8 > fileSize) throw truncated(file, where, at, 8, fileSize);
            long count = in.i64();
            if (count != s.numel()) {
                throw new BadInputException(file, where + ", byte " + at, "holds " + count + " elements, the pickle says " + s.numel());
            }
            long bytes = s.byteSize();
            if (in.position() + bytes > fileSize) throw truncated(file, where, in.position(), bytes, fileSize);
            if (wanted.remove(s)) {
                StateDict.checkReadable(file, where, s);
                s.attach(ByteBuffer.wrap(in.readFully((int) bytes)));
            } else {
                in.skip(bytes);
            }
        }
        if (!wanted.isEmpty()) {
            throw new BadInputException(file, "storage " + wanted.iterator().next().key(), "missing from the storage list");
        }
    }

    private static BadInputException truncated(Path file, String where, long at, long need, long fileSize) {
        return new BadInputException(file, where, "truncated: needs " + need + " bytes from byte " + at
                + ", the file ends at byte " + fileSize);
    }
}
