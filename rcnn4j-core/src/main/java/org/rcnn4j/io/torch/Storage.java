package org.rcnn4j.io.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One storage of a state-dict file: a flat run of {@code numel} elements of one {@link DType} that
 * any number of tensors view. A pickle names a storage (key, type, element count) before the file
 * reaches its bytes, so the bytes are attached later, once, and only to storages a kept tensor uses.
 *
 * <p>A storage may also be a window of another (legacy files of torch before 1.0 could save storage
 * views): it then reads its {@code numel} elements from {@code offset} elements into its root.
 */
final class Storage {
    private final String key;
    private final DType dtype;
    private final long numel;
    private final Storage root;
    private final long rootOffset;
    private ByteBuffer data;

    Storage(String key, DType dtype, long numel) {
        this(key, dtype, numel, null, 0);
    }

    private Storage(String key, DType dtype, long numel, Storage root, long rootOffset) {
        this.key = key;
        this.dtype = dtype;
        this.numel = numel;
        this.root = root;
        this.rootOffset = rootOffset;
    }

    /** A window of {@code numel} elements from {@code offset} elements into this (root) storage. */
    Storage window(String windowKey, long offset, long windowNumel) {
        if (root != null || offset < 0 || windowNumel < 0 || offset + windowNumel > numel) {
            throw new IllegalArgumentException("window [" + offset + ", " + (offset + windowNumel)
                    + ") of storage " + key + " with " + numel + " elements");
        }
        return new Storage(windowKey, dtype, windowNumel, this, offset);
    }

    /** The key the file names the storage by ({@code "0"} in a zip archive's {@code data/0}). */
    String key() {
        return key;
    }

    DType dtype() {
        return dtype;
    }

    /** Elements, not bytes. */
    long numel() {
        return numel;
    }

    /** Bytes the elements take. */
    long byteSize() {
        return numel * dtype.bytes();
    }

    /** The storage whose bytes the file holds: this one, or the one this is a window of. */
    Storage root() {
        return root == null ? this : root;
    }

    /** Attaches the bytes of a root storage, exactly {@link #byteSize()} of them from the buffer's position. */
    void attach(ByteBuffer bytes) {
        if (root != null || data != null || bytes.remaining() != byteSize()) {
            throw new IllegalStateException("storage " + key + ": attach " + bytes.remaining() + " bytes to "
                    + (root != null ? "a window" : data != null ? "a storage already read" : byteSize() + " bytes"));
        }
        data = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements as a little-endian buffer from position 0; each call returns a new view of the same bytes. */
    ByteBuffer data() {
        if (root != null) {
            int from = Math.toIntExact(rootOffset * dtype.bytes());
            return root.data().slice(from, Math.toIntExact(byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (data == null) throw new IllegalStateException("storage " + key + " has not been read");
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}
