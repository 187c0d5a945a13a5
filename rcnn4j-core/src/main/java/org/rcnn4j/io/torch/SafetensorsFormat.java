package org.rcnn4j.io.torch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.rcnn4j.io.BadInputException;

/**
 * Hugging Face's safetensors: an unsigned 64-bit little-endian header length N, N bytes of JSON
 * (padded with spaces) mapping each tensor's name to {@code {"dtype": "F32", "shape": [...],
 * "data_offsets": [begin, end]}} plus an optional {@code "__metadata__"} of strings, then the data.
 * Offsets count bytes from the start of the data; each tensor is contiguous, row-major and
 * little-endian, and owns its bytes (safetensors has no views or shared storages). Tensors keep the
 * header's order.
 */
final class SafetensorsFormat {
    /** The reference implementation's limit; a longer "header" is not one. */
    private static final long MAX_HEADER = 100_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsFormat() {}

    /** A header length that fits the file, followed by the opening brace of the JSON header. */
    static boolean accepts(byte[] head, long fileSize) {
        if (head.length < 9 || head[8] != '{') return false;
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 0 && n <= MAX_HEADER && n <= fileSize - 8;
    }

    static LinkedHashMap<String, TorchTensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long n = readAt(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            JsonNode header;
            try {
                header = JSON.readTree(readAt(ch, 8, (int) n).array());
            } catch (JsonProcessingException e) {
                throw BadInputException.ofJson(file, "safetensors header", e);
            }
            if (header == null || !header.isObject()) throw new BadInputException(file, "header", "not a JSON object");
            long dataStart = 8 + n;
            LinkedHashMap<String, TorchTensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                tensors.put(e.getKey(), tensor(file, ch, e.getKey(), e.getValue(), dataStart));
            }
            return tensors;
        }
    }

    private static TorchTensor tensor(Path file, FileChannel ch, String name, JsonNode entry, long dataStart)
            throws IOException {
        String where = "header[\"" + name + "\"]";
        JsonNode code = entry.path("dtype");
        DType dtype = DType.ofSafetensors(code.asText());
        if (!code.isTextual() || dtype == null) {
            String known = Arrays.stream(DType.values()).map(DType::safetensorsCode).collect(Collectors.joining(", "));
            throw new BadInputException(file, where + ".dtype", "unknown dtype " + code + "; rcnn4j reads " + known);
        }
        long[] shape = naturals(file, entry.path("shape"), where + ".shape", -1);
        long[] offsets = naturals(file, entry.path("data_offsets"), where + ".data_offsets", 2);
        long numel = 1;
        for (long s : shape) {
            numel = s == 0 || numel <= Long.MAX_VALUE / dtype.bytes() / s ? numel * s : -1;
            if (numel < 0) throw new BadInputException(file, where + ".shape", Arrays.toString(shape) + " is too large");
        }
        Storage storage = new Storage(name, dtype, numel);
        long span = offsets[1] - offsets[0];
        if (span != storage.byteSize()) {
            throw new BadInputException(file, where, "data_offsets " + Arrays.toString(offsets) + " span " + span
                    + " bytes, shape " + Arrays.toString(shape) + " of " + dtype + " needs " + storage.byteSize());
        }
        long dataSize = ch.size() - dataStart;
        if (offsets[1] > dataSize) {
            throw new BadInputException(file, where + ".data_offsets", "truncated: bytes " + Arrays.toString(offsets)
                    + " of the data, which holds " + dataSize);
        }
        StateDict.checkReadable(file, where, storage);
        storage.attach(readAt(ch, dataStart + offsets[0], (int) span));
        return TorchTensor.contiguous(storage, shape);
    }

    /** A JSON array of non-negative integers, of {@code length} items (any length if negative). */
    private static long[] naturals(Path file, JsonNode node, String where, int length) {
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            throw new BadInputException(file, where, "not an array of " + (length >= 0 ? length + " " : "") + "integers");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new BadInputException(file, where + "[" + i + "]", v + " is not a non-negative integer");
            }
            values[i] = v.asLong();
        }
        if (length == 2 && values[0] > values[1]) throw new BadInputException(file, where, "begins after it ends");
        return values;
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) throw new EOFException("the file ends at byte " + ch.size());
        }
        return b.flip();
    }
}
