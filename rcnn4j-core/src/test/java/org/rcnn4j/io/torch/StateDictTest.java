package org.rcnn4j.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcnn4j.io.BadInputException;

/**
 * The fixtures of {@code src/test/resources/torch/make_fixtures.py}: one state dict saved by torch
 * 1.13 in the zip and legacy formats and by hand as safetensors, a checkpoint, and bad files. Every
 * expected value below is the script's closed form.
 */
class StateDictTest {
    static final Path DIR = TorchFixtures.DIR;

    /** One tensor as the script builds it. */
    record Expected(DType dtype, long[] shape, float[] floats, long[] longs) {
        static Expected floats(DType dtype, long[] shape, float... values) {
            return new Expected(dtype, shape, values, null);
        }

        static Expected longs(DType dtype, long[] shape, long... values) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) floats[i] = values[i];
            return new Expected(dtype, shape, floats, values);
        }
    }

    static final Map<String, Expected> EXPECTED = expected();

    private static Map<String, Expected> expected() {
        Map<String, Expected> m = new LinkedHashMap<>();
        float[] quarters = new float[12];
        for (int i = 0; i < 12; i++) quarters[i] = i / 4f;
        m.put("f32", Expected.floats(DType.FLOAT32, shape(3, 4), quarters));
        m.put("f16", Expected.floats(DType.FLOAT16, shape(7), -1.5f, 0f, 0.5f, 65504f, 0x1p-14f, 0x1p-24f, Float.POSITIVE_INFINITY));
        m.put("bf16", Expected.floats(DType.BFLOAT16, shape(5), 1f, -2.5f, 3.140625f, 0x1p100f, Float.NEGATIVE_INFINITY));
        m.put("f64", Expected.floats(DType.FLOAT64, shape(1, 3), 0.25f, -1f, (float) (1.0 / 3)));
        m.put("i64", Expected.longs(DType.INT64, shape(4), -3, 0, 1L << 40, 1L << 62));
        m.put("i32", Expected.longs(DType.INT32, shape(4), Integer.MIN_VALUE, -1, 7, Integer.MAX_VALUE));
        m.put("i16", Expected.longs(DType.INT16, shape(3), -32768, 5, 32767));
        m.put("i8", Expected.longs(DType.INT8, shape(3), -128, 0, 127));
        m.put("u8", Expected.longs(DType.UINT8, shape(3), 0, 200, 255));
        m.put("bool", Expected.longs(DType.BOOL, shape(3), 1, 0, 1));
        m.put("bn.num_batches_tracked", Expected.longs(DType.INT64, shape(), 7));
        m.put("scalar", Expected.floats(DType.FLOAT32, shape(), 2.5f));
        m.put("base", Expected.floats(DType.FLOAT32, shape(2, 3), 0, 1, 2, 3, 4, 5));
        m.put("base_t", Expected.floats(DType.FLOAT32, shape(3, 2), 0, 3, 1, 4, 2, 5));
        m.put("window", Expected.floats(DType.FLOAT32, shape(2, 2), 7, 8, 12, 13));
        m.put("shared_a", Expected.floats(DType.FLOAT32, shape(8), 100, 101, 102, 103, 104, 105, 106, 107));
        m.put("shared_b", Expected.floats(DType.FLOAT32, shape(2, 2), 104, 105, 106, 107));
        m.put("empty", Expected.floats(DType.FLOAT32, shape(0, 3)));
        m.put("param", Expected.floats(DType.FLOAT32, shape(2), 0.5f, -0.5f));
        return m;
    }

    static long[] shape(long... dims) {
        return dims;
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pth", "state_dict_legacy.pth", "state_dict.safetensors"})
    void everyFormatGivesTheScriptsValuesInItsOrder(String name) {
        StateDict sd = StateDict.read(DIR.resolve(name));
        assertEquals(List.copyOf(EXPECTED.keySet()), sd.keys());
        for (Map.Entry<String, Expected> e : EXPECTED.entrySet()) {
            TorchTensor t = sd.get(e.getKey());
            Expected x = e.getValue();
            String what = name + " " + e.getKey();
            assertEquals(x.dtype(), t.dtype(), what);
            assertArrayEquals(x.shape(), t.shape(), what);
            assertEquals(x.floats().length, t.numel(), what);
            assertArrayEquals(x.floats(), t.toFloats(), what);
            if (x.longs() != null) assertArrayEquals(x.longs(), t.toLongs(), what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"state_dict.pth", "state_dict_legacy.pth"})
    void viewsKeepTorchsStorageOffsetsStridesAndSharing(String name) {
        StateDict sd = StateDict.read(DIR.resolve(name));
        TorchTensor base = sd.get("base");
        TorchTensor transposed = sd.get("base_t");
        assertSame(base.storage(), transposed.storage(), "a transpose views its source's storage");
        assertArrayEquals(new long[] {1, 3}, transposed.stride());

        TorchTensor window = sd.get("window");
        assertEquals(7, window.storageOffset(), "row 1, column 2 of a 4x5 storage");
        assertArrayEquals(new long[] {5, 1}, window.stride());
        assertEquals(20, window.storage().numel(), "the whole storage is saved, not just the window");

        assertSame(sd.get("shared_a").storage(), sd.get("shared_b").storage());
        assertEquals(4, sd.get("shared_b").storageOffset());
        assertEquals(0, sd.get("empty").toFloats().length);
    }

    @Test
    void aCheckpointGivesTheWeightsUnderModelAndSkipsTheRest() {
        StateDict sd = StateDict.read(DIR.resolve("checkpoint.pth"));
        assertEquals(List.of("conv.weight", "conv.bias", "bn.num_batches_tracked"), sd.keys());
        assertArrayEquals(new long[] {2, 1, 2, 2}, sd.get("conv.weight").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, sd.get("conv.weight").toFloats());
        assertArrayEquals(new float[] {0.5f, -0.5f}, sd.get("conv.bias").toFloats());
        assertArrayEquals(new long[] {7}, sd.get("bn.num_batches_tracked").toLongs());
    }

    @Test
    void aMissingKeyIsNamedWithTheKeyThatDiffersByAPrefix() {
        StateDict sd = StateDict.read(DIR.resolve("checkpoint.pth"));
        Path f = DIR.resolve("checkpoint.pth");
        assertMessage(f + ": module.conv.bias: no such tensor; the file has \"conv.bias\"",
                () -> sd.get("module.conv.bias"));
        assertMessage(f + ": fc.weight: no such tensor among the file's 3, the first \"conv.weight\"",
                () -> sd.get("fc.weight"));
        assertFalse(sd.contains("fc.weight"));
    }

    @Test
    void aPickleCallingOsSystemIsRefusedNamingTheFileEntryAndGlobal() {
        Path f = DIR.resolve("os_system.pth");
        // byte 35: PROTO (2 bytes), GLOBAL collections OrderedDict (25), EMPTY_TUPLE, REDUCE, BINUNICODE 'x' (6).
        assertMessage(f + ": os_system/data.pkl, byte 35: pickle global os.system is not allowed in a state dict",
                () -> StateDict.read(f));
    }

    @Test
    void badFilesAreOneLineBadInputExceptions() {
        Path zip = DIR.resolve("truncated.pth");
        BadInputException e = assertThrows(BadInputException.class, () -> StateDict.read(zip));
        assertTrue(e.getMessage().startsWith(zip + ": a damaged or truncated zip archive ("), e.getMessage());

        Path legacy = DIR.resolve("truncated_legacy.pth");
        e = assertThrows(BadInputException.class, () -> StateDict.read(legacy));
        assertTrue(e.getMessage().matches(".*: storage \\d+: truncated: needs \\d+ bytes from byte \\d+, the file ends at byte 2344"),
                e.getMessage());

        assertMessage(DIR.resolve("random.bin") + ": " + StateDict.NOT_RECOGNISED, () -> StateDict.read(DIR.resolve("random.bin")));
        assertMessage(DIR.resolve("none.pth") + ": no such file", () -> StateDict.read(DIR.resolve("none.pth")));
        e = assertThrows(BadInputException.class, () -> StateDict.read(DIR));
        assertTrue(e.getMessage().startsWith(DIR + ": could not be read"), e.getMessage());
        assertEquals(-1, StateDict.NOT_RECOGNISED.indexOf('\n'));
    }

    /** Asserts a BadInputException with exactly this message, on one line. */
    static void assertMessage(String message, Runnable r) {
        BadInputException e = assertThrows(BadInputException.class, r::run);
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
