package org.rcnn4j.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.TorchFixtures.Pickle;

/** Hand-written pickles: what each opcode builds, and the one-line refusal of everything else. */
class RestrictedUnpicklerTest {
    private static final Path FILE = Path.of("t.pth");
    private static final String AT = "t.pth: t/data.pkl, byte ";

    private static Object load(byte[] pickle) {
        return RestrictedUnpickler.load(new PickleInput(new ByteArrayInputStream(pickle), FILE, "t/data.pkl"), new StorageTable());
    }

    private static void assertRefused(String message, Pickle pickle) {
        BadInputException e = assertThrows(BadInputException.class, () -> load(pickle.bytes()));
        assertEquals(message, e.getMessage());
    }

    @Test
    void protocolFourOpcodesBuildPlainJavaValues() {
        Pickle p = new Pickle().op(0x80, 4, 0x95).le(0, 8).op('}', 0x94, '(');
        p.shortStr("neg").op(0x94, 'J').le(-5, 4);
        p.shortStr("big").op(0x8a, 9).le(0, 8).op(1); // LONG1 2^64
        p.shortStr("minus").op(0x8a, 2, 0x00, 0xff); // LONG1 -256
        p.shortStr("float").op('G').raw(new byte[] {0x3f, (byte) 0xb9, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x9a});
        p.shortStr("bytes").op('C', 3, 1, 2, 3);
        p.shortStr("none").op('N');
        p.shortStr("flags").op(0x88, 0x89, 0x86);
        p.shortStr("list").op(']', 0x94, '(', 'K', 1, 'M').le(1000, 2).op('e');
        p.shortStr("again").op('h', 1); // memo 1 is "neg"
        p.shortStr("od").shortStr("collections").shortStr("OrderedDict").op(0x93, ')', 0x81); // NEWOBJ
        p.shortStr("size").global("torch", "Size").op('(', 'K', 2, 'K', 3, 't', 0x85, 'R');
        p.shortStr("dtype").global("torch", "float16");
        p.op('u', '.');

        Map<?, ?> m = assertInstanceOf(Map.class, load(p.bytes()));
        assertEquals(List.of("neg", "big", "minus", "float", "bytes", "none", "flags", "list", "again", "od", "size", "dtype"),
                List.copyOf(m.keySet()));
        assertEquals(-5L, m.get("neg"));
        assertEquals(BigInteger.ONE.shiftLeft(64), m.get("big"));
        assertEquals(-256L, m.get("minus"));
        assertEquals(0.1, m.get("float"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) m.get("bytes"));
        assertNull(m.get("none"));
        assertArrayEquals(new Object[] {true, false}, (Object[]) m.get("flags"));
        assertEquals(List.of(1L, 1000L), m.get("list"));
        assertEquals("neg", m.get("again"));
        assertEquals(Map.of(), m.get("od"));
        assertArrayEquals(new Object[] {2L, 3L}, (Object[]) m.get("size"));
        assertSame(DType.FLOAT16, m.get("dtype"));
    }

    @Test
    void pythonTwosOrderedDictOfPairsAndByteStrings() {
        // OrderedDict([['a', 1]]) as Python 2 pickled it: the items as a list argument, keys as str.
        Pickle p = new Pickle().op(0x80, 2).global("collections", "OrderedDict")
                .op(']', ']', '(', 'U', 1, 'a', 'K', 1, 'e', 'a', 0x85, 'R', '.');
        assertEquals(Map.of("a", 1L), load(p.bytes()));
    }

    @Test
    void globalsOutsideTheStateDictListAreRefusedByName() {
        assertRefused(AT + "18: pickle global builtins.eval is not allowed in a state dict",
                new Pickle().op(0x80, 4).shortStr("builtins").shortStr("eval").op(0x93));
        assertRefused(AT + "2: pickle global posix.system is not allowed in a state dict",
                new Pickle().op(0x80, 2).global("posix", "system"));
        assertRefused(AT + "2: pickle global torch._utils._rebuild_meta_tensor_no_storage is not allowed in a state dict",
                new Pickle().op(0x80, 2).global("torch._utils", "_rebuild_meta_tensor_no_storage"));
        assertRefused(AT + "2: pickle global numpy.FloatStorage is not allowed in a state dict",
                new Pickle().op(0x80, 2).global("numpy", "FloatStorage"));
    }

    @Test
    void callsAndBuildsOfAnythingButTheRebuildFunctionsAreRefused() {
        assertRefused(AT + "23: a torch.FloatStorage cannot be called in a state dict",
                new Pickle().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R'));
        assertRefused(AT + "4: BUILD of a list is not allowed in a state dict", new Pickle().op(0x80, 2, ']', '}', 'b'));
        assertRefused(AT + "34: NEWOBJ_EX with keyword arguments",
                new Pickle().op(0x80, 4).global("collections", "OrderedDict").op(')', '}', 'K', 1, 'K', 2, 's', 0x92));
        assertRefused(AT + "15: a persistent id other than a storage's: only tensor storages may be referenced",
                new Pickle().op(0x80, 2, '(').str("module").op('t', 'Q'));
    }

    @Test
    void unknownAndUnsupportedOpcodesAreNamed() {
        assertRefused(AT + "2: unknown pickle opcode 0xff", new Pickle().op(0x80, 2, 0xff));
        assertRefused(AT + "0: pickle opcode 'I' belongs to protocols 0 and 1; state dicts are read in protocols 2 to 5",
                new Pickle().op('I', '1', '\n', '.'));
        assertRefused(AT + "0: pickle protocol 6 is newer than 5", new Pickle().op(0x80, 6));
        assertRefused(AT + "2: pickle extension-registry opcodes (EXT1, EXT2, EXT4) are not allowed in a state dict",
                new Pickle().op(0x80, 2, 0x82, 1));
        assertRefused(AT + "2: pickle out-of-band buffers (NEXT_BUFFER, READONLY_BUFFER) are not allowed in a state dict",
                new Pickle().op(0x80, 5, 0x97));
    }

    @Test
    void corruptPicklesSayWhatIsWrongWhere() {
        assertRefused(AT + "10: truncated: the data ends 3 bytes into 10", new Pickle().op(0x80, 2, 'X').le(10, 4).op('a', 'b', 'c'));
        assertRefused(AT + "3: truncated: the data ends here", new Pickle().op(0x80, 2, '}'));
        assertRefused(AT + "2: the pickle stack holds fewer than 2 items", new Pickle().op(0x80, 2, 's'));
        assertRefused(AT + "2: memo entry 5 was never stored", new Pickle().op(0x80, 2, 'h', 5));
        assertRefused(AT + "5: APPEND on a tuple", new Pickle().op(0x80, 2, ')', 'K', 1, 'a'));
        assertRefused(AT + "3: the pickle stack is empty", new Pickle().op(0x80, 2, '(', 'q', 0));
    }

    @Test
    void oneKeyIsOneStorageAndATypeClashIsRefused() {
        int[] shape = {2};
        int[] stride = {1};
        Pickle shared = new Pickle().op(0x80, 2, '(')
                .rebuild("FloatStorage", "0", 4, 0, shape, stride)
                .rebuild("FloatStorage", "0", 4, 2, shape, stride).op('l', '.');
        List<?> tensors = assertInstanceOf(List.class, load(shared.bytes()));
        TorchTensor a = (TorchTensor) tensors.get(0);
        TorchTensor b = (TorchTensor) tensors.get(1);
        assertSame(a.storage(), b.storage());
        assertEquals(2, b.storageOffset());

        Pickle clash = new Pickle().op(0x80, 2, '(')
                .rebuild("FloatStorage", "0", 4, 0, shape, stride)
                .rebuild("HalfStorage", "0", 4, 0, shape, stride).op('l', '.');
        BadInputException e = assertThrows(BadInputException.class, () -> load(clash.bytes()));
        assertEquals("storage 0 is named again as 4 of FLOAT16, first as 4 of FLOAT32", e.what());
    }
}
