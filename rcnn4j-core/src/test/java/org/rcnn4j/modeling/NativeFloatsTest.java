package org.rcnn4j.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class NativeFloatsTest {

    @Test
    void readsATransposedViewInItsLogicalOrderAndTheCopyBelongsToTheViewsManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray map = manager.arange(6f).reshape(2, 3); // [[0 1 2] [3 4 5]]
            int before = ((BaseNDManager) manager).getManagedArrays().size();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray view = map.transpose();
                view.attach(scratch);
                FloatBuffer values = NativeFloats.read(view);
                float[] got = new float[6];
                values.get(0, got);
                assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, got);
            }
            assertEquals(before, ((BaseNDManager) manager).getManagedArrays().size(), "the contiguous copy went with the scratch manager");
        }
    }

    @Test
    void writtenValuesAreTheArraysAndOverwriteReplacesEveryValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NativeFloats.Writable w = NativeFloats.allocate(manager, new Shape(2, 2));
            w.values().put(0, new float[] {1, 2, 3, 4});
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.array().toFloatArray());

            NDArray parameter = manager.zeros(new Shape(3));
            parameter.setRequiresGradient(true);
            NativeFloats.overwrite(parameter, new float[] {7, 8, 9});
            assertArrayEquals(new float[] {7, 8, 9}, parameter.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> NativeFloats.overwrite(parameter, new float[] {1}));
            assertThrows(IllegalArgumentException.class, () -> NativeFloats.read(manager.zeros(new Shape(2), DataType.FLOAT64)));
            assertThrows(IllegalArgumentException.class, () -> NativeFloats.allocate(manager, new Shape(0, 4)));
        }
    }

    @Test
    void copyOfHoldsTheValuesInTheShapeInTheGivenManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = {1, 2, 3, 4, 5, 6};
            NDArray a;
            try (NDManager sub = manager.newSubManager()) {
                a = NativeFloats.copyOf(sub, values, new Shape(1, 2, 3));
                assertEquals(new Shape(1, 2, 3), a.getShape());
                assertEquals(2f, a.getFloat(0, 0, 1));
                assertEquals(4f, a.getFloat(0, 1, 0));
                values[0] = 9; // a copy: the array keeps the values it was given
                assertEquals(1f, a.getFloat(0, 0, 0));
            }
            assertTrue(a.isReleased(), "the array went with its manager");
            assertThrows(IllegalArgumentException.class, () -> NativeFloats.copyOf(manager, values, new Shape(4)));
        }
    }
}
