package org.rcnn4j.io.torch;

/**
 * The element type of a tensor's storage, with the names the three file formats give it: the
 * storage class a {@code torch.save} pickle names ({@code torch.FloatStorage}), torch's dtype name
 * ({@code torch.float32}) and the safetensors code ({@code F32}). Every type is stored little-endian.
 */
public enum DType {
    FLOAT32(4, "FloatStorage", "F32", "float32", "float"),
    FLOAT16(2, "HalfStorage", "F16", "float16", "half"),
    /** The upper 16 bits of a float32: 8 exponent bits, 7 mantissa bits. */
    BFLOAT16(2, "BFloat16Storage", "BF16", "bfloat16", null),
    FLOAT64(8, "DoubleStorage", "F64", "float64", "double"),
    INT64(8, "LongStorage", "I64", "int64", "long"),
    INT32(4, "IntStorage", "I32", "int32", "int"),
    INT16(2, "ShortStorage", "I16", "int16", "short"),
    /** Signed bytes; torch calls their storage {@code CharStorage}. */
    INT8(1, "CharStorage", "I8", "int8", null),
    UINT8(1, "ByteStorage", "U8", "uint8", null),
    /** One byte per element, 0 or 1. */
    BOOL(1, "BoolStorage", "BOOL", "bool", null);

    private final int bytes;
    private final String storageClass;
    private final String safetensorsCode;
    private final String torchName;
    private final String torchAlias;

    DType(int bytes, String storageClass, String safetensorsCode, String torchName, String torchAlias) {
        this.bytes = bytes;
        this.storageClass = storageClass;
        this.safetensorsCode = safetensorsCode;
        this.torchName = torchName;
        this.torchAlias = torchAlias;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether values are integers (or booleans), which {@link TorchTensor#toLongs()} returns exactly. */
    public boolean isIntegral() {
        return this != FLOAT32 && this != FLOAT16 && this != BFLOAT16 && this != FLOAT64;
    }

    /** The safetensors {@code dtype} code: {@code F32}, {@code BF16}, {@code I64}, {@code BOOL}. */
    String safetensorsCode() {
        return safetensorsCode;
    }

    /** The type of a legacy storage class named in a pickle ({@code FloatStorage}), or null. */
    static DType ofStorageClass(String name) {
        for (DType t : values()) {
            if (t.storageClass.equals(name)) return t;
        }
        return null;
    }

    /** The type of a safetensors {@code dtype} code ({@code F32}, {@code BF16}), or null. */
    static DType ofSafetensors(String code) {
        for (DType t : values()) {
            if (t.safetensorsCode.equals(code)) return t;
        }
        return null;
    }

    /** The type of a torch dtype attribute ({@code float32} or its alias {@code float}), or null. */
    static DType ofTorchName(String name) {
        for (DType t : values()) {
            if (t.torchName.equals(name) || name.equals(t.torchAlias)) return t;
        }
        return null;
    }
}
