package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SgdTest {
    /** One step by hand: v = μv + lr(g + λw), w -= v; bias gets no decay. */
    @Test
    void stepMatchesCaffeUpdateByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(1).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            Parameter w = lin.getParameters().get("weight");
            Parameter b = lin.getParameters().get("bias");
            w.getArray().set(new float[] {1f, 2f});
            b.getArray().set(new float[] {0.5f});
            Sgd sgd = new Sgd(List.of(w, b), m, 0.9f, 0.1f);
            ParameterStore ps = new ParameterStore(m, false);
            for (int step = 0; step < 2; step++) {
                sgd.zeroGradients();
                try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = sub.create(new float[] {3f, 4f}, new Shape(1, 2));
                    gc.backward(lin.forward(ps, new NDList(x), true).singletonOrThrow().sum());
                }
                sgd.step(0.01f);
            }
            // Gradient of sum(w·x + b) is x = (3, 4) for w and 1 for b, every step.
            // Step 1: v_w = 0.01·(3 + 0.1·1, 4 + 0.1·2) = (0.031, 0.042); w = (0.969, 1.958).
            // Step 2: v_w = 0.9·(0.031, 0.042) + 0.01·(3 + 0.0969, 4 + 0.1958) = (0.058869, 0.079758).
            assertArrayEquals(new float[] {0.969f - 0.058869f, 1.958f - 0.079758f}, w.getArray().toFloatArray(), 1e-6f);
            // Bias: v = 0.01, then 0.9·0.01 + 0.01 = 0.019: b = 0.5 − 0.01 − 0.019.
            assertEquals(0.471f, b.getArray().getFloat(0), 1e-6f);
        }
    }

    /** Least squares converges: the gradients do not accumulate between iterations. */
    @Test
    void leastSquaresConverges() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Linear lin = Linear.builder().setUnits(1).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(8, 3));
            List<Parameter> params = new ArrayList<>();
            lin.getParameters().forEach(p -> params.add(p.getValue()));
            Sgd sgd = new Sgd(params, m, 0.9f, 0f);
            ParameterStore ps = new ParameterStore(m, false);
            float[] xs = new float[24];
            float[] ys = new float[8];
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 3; j++) xs[3 * i + j] = (float) Math.sin(i * 3 + j);
                ys[i] = 2 * xs[3 * i] - xs[3 * i + 1] + 0.5f * xs[3 * i + 2] + 1;
            }
            float last = Float.NaN;
            for (int it = 0; it < 300; it++) {
                sgd.zeroGradients();
                try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray x = sub.create(xs, new Shape(8, 3));
                    NDArray pred = lin.forward(ps, new NDList(x), true).singletonOrThrow().reshape(8);
                    NDArray loss = pred.sub(sub.create(ys)).square().mean();
                    last = loss.getFloat();
                    gc.backward(loss);
                }
                sgd.step(0.05f);
            }
            assertTrue(last < 1e-4, "loss " + last);
        }
    }
}
