package org.rcnn4j.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rcnn4j.io.torch.StateDictTest.assertMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.TorchFixtures.Pickle;

/** Files written by the test, each wrong in one way, and the one-line message each gets. */
class CraftedFilesTest {
    @TempDir Path tmp;

    /** The zip fixture's entries, to alter one at a time. */
    private Map<String, byte[]> zipFixture() throws IOException {
        return TorchFixtures.entries(TorchFixtures.DIR.resolve("state_dict.pth"));
    }

    @Test
    void aBigEndianArchiveIsRefusedAndALittleEndianOneRead() throws IOException {
        Map<String, byte[]> entries = zipFixture();
        entries.put("state_dict/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        Path little = TorchFixtures.writeZip(tmp.resolve("little.pth"), entries);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, StateDict.read(little).get("base_t").toFloats());

        entries.put("state_dict/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        Path big = TorchFixtures.writeZip(tmp.resolve("big.pth"), entries);
        assertMessage(big + ": state_dict/byteorder: the tensors are stored \"big\"-endian; only little-endian archives can be read",
                () -> StateDict.read(big));
    }

    @Test
    void aLegacyFileFromABigEndianMachineIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(TorchFixtures.DIR.resolve("state_dict_legacy.pth"));
        // sys_info's BINUNICODE 'little_endian', BINPUT 2, then NEWTRUE: make it NEWFALSE.
        int at = indexOf(bytes, "little_endian".getBytes(StandardCharsets.US_ASCII)) + "little_endian".length() + 2;
        assertEquals((byte) 0x88, bytes[at]);
        bytes[at] = (byte) 0x89;
        Path big = Files.write(tmp.resolve("big_legacy.pth"), bytes);
        assertMessage(big + ": byte 21: written on a big-endian machine (sys_info little_endian=False); only little-endian files can be read",
                () -> StateDict.read(big));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aMissingOrShortStorageEntryIsNamed() throws IOException {
        Map<String, byte[]> entries = zipFixture();
        byte[] first = entries.remove("state_dict/data/0");
        Path missing = TorchFixtures.writeZip(tmp.resolve("missing.pth"), entries);
        assertMessage(missing + ": state_dict/data/0: missing: data.pkl refers to storage 0", () -> StateDict.read(missing));

        entries.put("state_dict/data/0", Arrays.copyOf(first, 40));
        Path shortEntry = TorchFixtures.writeZip(tmp.resolve("short.pth"), entries);
        assertMessage(shortEntry + ": state_dict/data/0: truncated: holds 40 bytes, storage 0 needs 48 (12 FLOAT32 elements)",
                () -> StateDict.read(shortEntry));

        entries.remove("state_dict/data.pkl");
        Path noPickle = TorchFixtures.writeZip(tmp.resolve("nopickle.pth"), entries);
        assertMessage(noPickle + ": a zip archive without <archive>/data.pkl, so not written by torch.save",
                () -> StateDict.read(noPickle));
    }

    @Test
    void aViewPastItsStorageIsRefusedAtTheRebuildCall() throws IOException {
        // A 2x3 float view of a 5-element storage: element 5 is past its end.
        byte[] pickle = new Pickle().op(0x80, 2, '}').str("w")
                .rebuild("FloatStorage", "0", 5, 0, new int[] {2, 3}, new int[] {3, 1}).op('s', '.').bytes();
        Path f = TorchFixtures.zipWithPickle(tmp.resolve("view.pth"), pickle, Map.of("0", TorchFixtures.floats(0, 1, 2, 3, 4)));
        BadInputException e = assertThrows(BadInputException.class, () -> StateDict.read(f));
        assertTrue(e.getMessage().startsWith(f + ": archive/data.pkl, byte "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": torch._utils._rebuild_tensor_v2: shape [2, 3], stride [3, 1] from offset 0"
                + " reaches element 5, past the 5 of storage 0"), e.getMessage());
    }

    @Test
    void aPickleWithoutTensorsOrNotADictIsRefused() throws IOException {
        Path empty = TorchFixtures.zipWithPickle(tmp.resolve("empty.pth"), new Pickle().op(0x80, 2, '}', '.').bytes(), Map.of());
        assertMessage(empty + ": holds no tensors, neither at the top level nor under \"model\" or \"state_dict\"",
                () -> StateDict.read(empty));
        Path list = TorchFixtures.zipWithPickle(tmp.resolve("list.pth"), new Pickle().op(0x80, 2, ']', '.').bytes(), Map.of());
        assertMessage(list + ": holds a list, not a dict of tensors", () -> StateDict.read(list));
    }

    @Test
    void stateDictUnderStateDictIsFoundWhenTheTopHoldsNone() throws IOException {
        byte[] pickle = new Pickle().op(0x80, 2, '}').str("epoch").integer(3).op('s').str("state_dict").op('}').str("w")
                .rebuild("FloatStorage", "0", 2, 0, new int[] {2}, new int[] {1}).op('s', 's', '.').bytes();
        Path f = TorchFixtures.zipWithPickle(tmp.resolve("lightning.ckpt"), pickle, Map.of("0", TorchFixtures.floats(1.5f, -2)));
        assertArrayEquals(new float[] {1.5f, -2}, StateDict.read(f).get("w").toFloats());
    }

    @Test
    void safetensorsHeaderProblemsNameTheField() throws IOException {
        Path unknown = TorchFixtures.writeSafetensors(tmp.resolve("f8.safetensors"),
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertMessage(unknown + ": header[\"w\"].dtype: unknown dtype \"F8_E4M3\"; rcnn4j reads F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL",
                () -> StateDict.read(unknown));

        Path truncated = TorchFixtures.writeSafetensors(tmp.resolve("short.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        assertMessage(truncated + ": header[\"w\"].data_offsets: truncated: bytes [0, 16] of the data, which holds 8",
                () -> StateDict.read(truncated));

        Path span = TorchFixtures.writeSafetensors(tmp.resolve("span.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(span + ": header[\"w\"]: data_offsets [0, 8] span 8 bytes, shape [3] of FLOAT32 needs 12",
                () -> StateDict.read(span));

        Path json = TorchFixtures.writeSafetensors(tmp.resolve("json.safetensors"), "{\"w\": [1, }", new byte[0]);
        BadInputException e = assertThrows(BadInputException.class, () -> StateDict.read(json));
        assertTrue(e.getMessage().startsWith(json + ": line 1, column "), e.getMessage());
        assertTrue(e.getMessage().contains("safetensors header"), e.getMessage());
    }

    @Test
    void safetensorsMetadataIsSkippedAndEmptyTensorsRead() throws IOException {
        Path f = TorchFixtures.writeSafetensors(tmp.resolve("meta.safetensors"), "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}    ", TorchFixtures.floats(3, 4));
        StateDict sd = StateDict.read(f);
        assertEquals(java.util.List.of("e", "w"), sd.keys());
        assertEquals(0, sd.get("e").numel());
        assertArrayEquals(new float[] {3, 4}, sd.get("w").toFloats());
    }
}
