package org.rcnn4j.io.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.io.BadInputException;

/**
 * The tensors of a PyTorch weights file by name, in the file's order: what
 * {@code torch.load(f, weights_only=True)} gives for a {@code model.state_dict()}, read without
 * Python.
 *
 * <p>{@link #read} tells the format from the bytes, not the name: a {@code torch.save} zip archive
 * (torch 1.6 on), a legacy {@code torch.save} file (before 1.6, or
 * {@code _use_new_zipfile_serialization=False}) or a safetensors file. A pickled file's top level
 * must be a dict; its tensor values are the state dict, and when it holds none (a training
 * checkpoint), the dict under {@code "model"} is, else the one under {@code "state_dict"}. Other
 * values (an epoch, an optimizer's state, a module's {@code _metadata}) are skipped, and so are
 * their storages' bytes. The pickle may name only what a state dict needs (see
 * {@code RestrictedUnpickler}): a file that names anything else, such as {@code os.system}, is
 * refused before any tensor is read.
 *
 * <p>Memory: each storage is read once into one buffer, however many tensors view it, so a state
 * dict holds about the file's size; {@link TorchTensor#toFloats()} makes one more copy per call.
 */
public final class StateDict {
    /** Why a file is not read at all. */
    static final String NOT_RECOGNISED = "not a PyTorch state dict: rcnn4j reads torch.save zip archives (torch 1.6 on),"
            + " legacy torch.save files (before 1.6) and safetensors files";
    /** Where a checkpoint keeps the weights when its top level holds no tensors, tried in this order. */
    static final List<String> NESTED_KEYS = List.of("model", "state_dict");
    /** The largest storage a Java array holds, in bytes. */
    private static final long MAX_STORAGE_BYTES = Integer.MAX_VALUE - 8;

    private final Path file;
    private final Map<String, TorchTensor> tensors;

    private StateDict(Path file, Map<String, TorchTensor> tensors) {
        this.file = file;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /**
     * Reads every tensor of a weights file.
     *
     * @throws BadInputException a missing or unreadable file, a format other than the three above,
     *                           a pickle global outside the allowed list, a truncated file or entry,
     *                           big-endian data; one line naming the file and where in it
     */
    public static StateDict read(Path file) {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "could not be read: " + e.getMessage(), e);
        }
        try {
            LinkedHashMap<String, TorchTensor> tensors;
            if (SafetensorsFormat.accepts(head, size)) {
                tensors = SafetensorsFormat.read(file);
            } else if (ZipFormat.accepts(head)) {
                tensors = ZipFormat.read(file);
            } else if (LegacyFormat.accepts(head)) {
                tensors = LegacyFormat.read(file);
            } else {
                throw new BadInputException(file, null, NOT_RECOGNISED);
            }
            return new StateDict(file, tensors);
        } catch (IOException e) {
            throw new BadInputException(file, null, "could not be read: " + e.getMessage(), e);
        }
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The tensor names in the file's order. */
    public List<String> keys() {
        return List.copyOf(tensors.keySet());
    }

    /** The number of tensors. */
    public int size() {
        return tensors.size();
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /**
     * The tensor of a name.
     *
     * @throws BadInputException when the file has no such tensor; the message names a key that
     *                           differs only by a prefix ({@code module.}, {@code backbone.}) if
     *                           there is one
     */
    public TorchTensor get(String key) {
        TorchTensor t = tensors.get(key);
        if (t != null) return t;
        for (String k : tensors.keySet()) {
            if (k.endsWith("." + key) || key.endsWith("." + k)) {
                throw new BadInputException(file, key, "no such tensor; the file has \"" + k + "\"");
            }
        }
        String first = tensors.isEmpty() ? "" : ", the first \"" + tensors.keySet().iterator().next() + "\"";
        throw new BadInputException(file, key, "no such tensor among the file's " + tensors.size() + first);
    }

    /** The tensors by name, in the file's order; unmodifiable. */
    public Map<String, TorchTensor> asMap() {
        return tensors;
    }

    @Override
    public String toString() {
        return "StateDict[" + file + ", " + tensors.size() + " tensors]";
    }

    /** The state dict in an unpickled top-level object, chosen as the class comment says. */
    static LinkedHashMap<String, TorchTensor> tensorsOf(Path file, Object top) {
        if (!(top instanceof Map<?, ?> dict)) {
            throw new BadInputException(file, null, "holds a " + TorchGlobals.typeName(top) + ", not a dict of tensors");
        }
        LinkedHashMap<String, TorchTensor> tensors = tensorsIn(dict);
        for (int i = 0; tensors.isEmpty() && i < NESTED_KEYS.size(); i++) {
            if (dict.get(NESTED_KEYS.get(i)) instanceof Map<?, ?> inner) tensors = tensorsIn(inner);
        }
        if (tensors.isEmpty()) {
            throw new BadInputException(file, null, "holds no tensors, neither at the top level nor under \"model\" or \"state_dict\"");
        }
        return tensors;
    }

    private static LinkedHashMap<String, TorchTensor> tensorsIn(Map<?, ?> dict) {
        LinkedHashMap<String, TorchTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getKey() instanceof String key && e.getValue() instanceof TorchTensor t) tensors.put(key, t);
        }
        return tensors;
    }

    /** The storages whose bytes the file holds for these tensors, each once. */
    static Set<Storage> rootStorages(Collection<TorchTensor> tensors) {
        Set<Storage> roots = new LinkedHashSet<>();
        for (TorchTensor t : tensors) roots.add(t.storage().root());
        return roots;
    }

    /** A storage's size in bytes, after checking that one Java array can hold it. */
    static long checkReadable(Path file, String where, Storage s) {
        if (s.byteSize() > MAX_STORAGE_BYTES) {
            throw new BadInputException(file, where, "a storage of " + s.byteSize() + " bytes, more than the 2 GiB a Java array holds");
        }
        return s.byteSize();
    }
}
