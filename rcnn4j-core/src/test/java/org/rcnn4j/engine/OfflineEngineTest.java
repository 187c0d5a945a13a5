package org.rcnn4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the Maven native jar with DJL in offline mode, and computes. */
class OfflineEngineTest {
    @Test
    void pytorchEngineRunsOffline() {
        assertEquals("true", System.getProperty("ai.djl.offline"));
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("PyTorch", engine.getEngineName());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = a.matMul(a);
            assertArrayEquals(new float[] {7, 10, 15, 22}, b.toFloatArray(), 1e-6f);
        }
    }
}
