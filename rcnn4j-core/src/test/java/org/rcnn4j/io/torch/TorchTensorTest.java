package org.rcnn4j.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.TorchGlobals.StorageClass;

/** Views of hand-filled storages against slow, obviously correct index loops; bfloat16 and integer conversions. */
class TorchTensorTest {
    private static Storage storage(DType t, byte[] bytes) {
        Storage s = new Storage("s", t, bytes.length / t.bytes());
        s.attach(ByteBuffer.wrap(bytes));
        return s;
    }

    private static Storage arange(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return storage(DType.FLOAT32, TorchFixtures.floats(v));
    }

    @Test
    void bfloat16IsTheUpperHalfOfAFloat() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3f80).putShort((short) 0xc020).putShort((short) 0x7f80).putShort((short) 0x0001);
        TorchTensor t = TorchTensor.contiguous(storage(DType.BFLOAT16, b.array()), new long[] {4});
        assertArrayEquals(new float[] {1, -2.5f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000)}, t.toFloats());
    }

    @Test
    void anyStridedViewComesOutRowMajor() {
        // torch.arange(24).reshape(2, 3, 4).permute(2, 1, 0): shape (4, 3, 2), stride (1, 4, 12).
        TorchTensor permuted = new TorchTensor(arange(24), 0, new long[] {4, 3, 2}, new long[] {1, 4, 12});
        float[] expected = new float[24];
        int n = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) expected[n++] = i + 4 * j + 12 * k;
            }
        }
        assertArrayEquals(expected, permuted.toFloats());

        TorchTensor expanded = new TorchTensor(arange(6), 2, new long[] {3, 2}, new long[] {0, 1});
        assertArrayEquals(new float[] {2, 3, 2, 3, 2, 3}, expanded.toFloats(), "stride 0 repeats a row");

        TorchTensor anyStrideOfSizeOne = new TorchTensor(arange(6), 0, new long[] {2, 1, 3}, new long[] {3, 1L << 40, 1});
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, anyStrideOfSizeOne.toFloats());

        TorchTensor scalar = new TorchTensor(arange(6), 4, new long[0], new long[0]);
        assertArrayEquals(new float[] {4}, scalar.toFloats());
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.rank());
    }

    @Test
    void integerViewsComeOutExactly() {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(Long.MIN_VALUE).putLong(-1).putLong((1L << 53) + 1).putLong(Long.MAX_VALUE);
        TorchTensor reversedPairs = new TorchTensor(storage(DType.INT64, b.array()), 1, new long[] {2}, new long[] {2});
        assertArrayEquals(new long[] {-1, Long.MAX_VALUE}, reversedPairs.toLongs());
        assertArrayEquals(new float[] {-1, (float) Long.MAX_VALUE}, reversedPairs.toFloats());
    }

    @Test
    void toLongsOfAFloatTensorIsAProgrammingError() {
        TorchTensor t = TorchTensor.contiguous(arange(2), new long[] {2});
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toLongs);
        assertEquals("toLongs() of a FLOAT32 tensor: use toFloats()", e.getMessage());
    }

    @Test
    void viewProblemsAreSaidInAFewWords() {
        Storage s = arange(6);
        assertNull(TorchTensor.viewProblem(s, 5, new long[] {0, 9}, new long[] {9, 1}), "an empty view reaches nothing");
        assertEquals("shape [2, 3], stride [3, 1] from offset 1 reaches element 6, past the 6 of storage s",
                TorchTensor.viewProblem(s, 1, new long[] {2, 3}, new long[] {3, 1}));
        assertEquals("shape [2] and stride [1, 1] differ in rank", TorchTensor.viewProblem(s, 0, new long[] {2}, new long[] {1, 1}));
        assertEquals("negative size or stride: shape [2], stride [-1]", TorchTensor.viewProblem(s, 0, new long[] {2}, new long[] {-1}));
        assertEquals("negative storage offset -1", TorchTensor.viewProblem(s, -1, new long[0], new long[0]));
        assertEquals("shape [3, 4611686018427387904], stride [1, 4] overflow a 64-bit index",
                TorchTensor.viewProblem(s, 0, new long[] {3, 1L << 62}, new long[] {1, 4}));
        assertEquals("shape [65536, 65536] has more elements than a Java array holds",
                TorchTensor.viewProblem(s, 0, new long[] {1 << 16, 1 << 16}, new long[] {0, 0}));
    }

    @Test
    void aLegacyStorageViewReadsAWindowOfItsRoot() {
        StorageTable table = new StorageTable();
        StorageClass floats = new StorageClass("torch.FloatStorage", DType.FLOAT32);
        RestrictedUnpickler.Errors bad = what -> new BadInputException("f", null, what, null);
        Storage window = (Storage) table.load(new Object[] {"storage", floats, "root", "cpu", 6L, new Object[] {"w", 2L, 3L}}, bad);
        Storage root = table.get("root");
        assertSame(root, window.root());
        root.attach(ByteBuffer.wrap(TorchFixtures.floats(0, 1, 2, 3, 4, 5)));
        assertArrayEquals(new float[] {2, 3, 4}, TorchTensor.contiguous(window, new long[] {3}).toFloats());

        BadInputException e = assertThrows(BadInputException.class,
                () -> table.load(new Object[] {"storage", floats, "root", "cpu", 6L, new Object[] {"x", 4L, 3L}}, bad));
        assertEquals("f: storage view window [4, 7) of storage root with 6 elements", e.getMessage());
    }
}
