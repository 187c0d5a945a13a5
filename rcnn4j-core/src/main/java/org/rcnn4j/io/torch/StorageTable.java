package org.rcnn4j.io.torch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rcnn4j.io.torch.RestrictedUnpickler.Errors;
import org.rcnn4j.io.torch.TorchGlobals.StorageClass;

/**
 * The storages a {@code torch.save} pickle refers to, by key. torch writes each storage as a
 * persistent id {@code ('storage', storage class, key, location, numel)}, numel counting elements;
 * the legacy format adds a sixth item, None or (in files of torch before 1.0) a window
 * {@code (window key, offset, numel)} of the storage. A key names one {@link Storage}, however many
 * tensors refer to it, so their bytes are read once. The location ({@code cpu}, {@code cuda:0}) is
 * ignored: everything is read into memory.
 */
final class StorageTable implements RestrictedUnpickler.PersistentLoader {
    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final Map<String, Storage> windows = new LinkedHashMap<>();

    @Override
    public Object load(Object pid, Errors bad) {
        if (!(pid instanceof Object[] id) || id.length < 5 || id.length > 6 || !"storage".equals(id[0])) {
            throw bad.at("a persistent id other than a storage's: only tensor storages may be referenced");
        }
        if (!(id[1] instanceof StorageClass type)) throw bad.at("a storage of type " + TorchGlobals.typeName(id[1]));
        if (!(id[2] instanceof String key) || !(id[4] instanceof Long numel)) {
            throw bad.at("a storage id without a key and an element count");
        }
        if (numel < 0 || numel > Long.MAX_VALUE / type.dtype().bytes()) throw bad.at("storage " + key + " of " + numel + " elements");
        Storage storage = storages.computeIfAbsent(key, k -> new Storage(k, type.dtype(), numel));
        if (storage.dtype() != type.dtype() || storage.numel() != numel) {
            throw bad.at("storage " + key + " is named again as " + numel + " of " + type.dtype()
                    + ", first as " + storage.numel() + " of " + storage.dtype());
        }
        return id.length == 6 && id[5] != null ? window(storage, id[5], bad) : storage;
    }

    /** The storage of a key, or null if no persistent id named it. */
    Storage get(String key) {
        return storages.get(key);
    }

    private Storage window(Storage root, Object view, Errors bad) {
        if (!(view instanceof Object[] v) || v.length != 3 || !(v[0] instanceof String key)
                || !(v[1] instanceof Long offset) || !(v[2] instanceof Long numel)) {
            throw bad.at("a storage view other than (key, offset, numel)");
        }
        Storage known = windows.get(key);
        if (known != null) return known;
        try {
            Storage window = root.window(key, offset, numel);
            windows.put(key, window);
            return window;
        } catch (IllegalArgumentException e) {
            throw bad.at("storage view " + e.getMessage());
        }
    }
}
