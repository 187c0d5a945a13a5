package org.rcnn4j.modeling.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Values and gradients of the loss terms, computed by hand. The gradient is taken after garbage
 * collection and allocation churn, which is when DJL's freed scalar tensors (see {@link Losses})
 * turned gradients into garbage.
 */
class LossesTest {
    /** Value and gradient of {@code f} at {@code x}, with GC and churn between forward and backward. */
    private static float[][] valueAndGradient(float[] x, Function<NDArray, NDArray> f) {
        try (NDManager base = NDManager.newBaseManager()) {
            NDArray in = base.create(x);
            in.setRequiresGradient(true);
            float value;
            try (NDManager sub = base.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(in.reshape(in.getShape()));
                value = y.getFloat();
                for (int i = 0; i < 5; i++) {
                    System.gc();
                    try (NDManager junk = base.newSubManager()) {
                        for (int k = 0; k < 20; k++) junk.create(new float[1 << 14]);
                    }
                }
                gc.backward(y);
            }
            return new float[][] {{value}, in.getGradient().toFloatArray()};
        }
    }

    @Test
    void binaryCrossEntropyByHand() {
        float[] x = {2f, -1f, 0f};
        float[] y = {1f, 0f, 1f};
        float[][] r = valueAndGradient(x, t -> Losses.binaryCrossEntropyWithLogits(t, y));
        double expected = 0;
        float[] grad = new float[3];
        for (int i = 0; i < 3; i++) {
            double p = 1 / (1 + Math.exp(-x[i]));
            expected += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
            grad[i] = (float) ((p - y[i]) / 3);
        }
        assertEquals(expected / 3, r[0][0], 1e-5);
        assertArrayEquals(grad, r[1], 1e-6f);
    }

    @Test
    void smoothL1ByHandOnBothSidesOfBeta() {
        float beta = 1f / 9;
        float[] p = {0.05f, -0.5f, 0.3f, 0f};
        float[] t = {0f, 0f, 0f, 0f};
        float[][] r = valueAndGradient(p, x -> Losses.smoothL1Sum(x.reshape(1, 4), t, beta));
        // |0.05| < beta: 0.5·0.05²/beta; |−0.5|, |0.3| ≥ beta: |d| − beta/2; 0: 0.
        double expected = 0.5 * 0.05 * 0.05 / beta + (0.5 - beta / 2) + (0.3 - beta / 2);
        assertEquals(expected, r[0][0], 1e-6);
        assertArrayEquals(new float[] {0.05f / beta, -1f, 1f, 0f}, r[1], 1e-5f);
    }

    @Test
    void softmaxCrossEntropyByHand() {
        float[] logits = {1f, 2f, 0f, 0f, 0f, 3f};
        int[] labels = {1, 2};
        float[][] r = valueAndGradient(logits, x -> Losses.softmaxCrossEntropy(x.reshape(2, 3), labels));
        double[] grad = new double[6];
        double loss = 0;
        for (int row = 0; row < 2; row++) {
            double z = 0;
            for (int c = 0; c < 3; c++) z += Math.exp(logits[3 * row + c]);
            for (int c = 0; c < 3; c++) {
                double p = Math.exp(logits[3 * row + c]) / z;
                grad[3 * row + c] = (p - (c == labels[row] ? 1 : 0)) / 2;
                if (c == labels[row]) loss -= Math.log(p) / 2;
            }
        }
        assertEquals(loss, r[0][0], 1e-5);
        for (int i = 0; i < 6; i++) assertEquals(grad[i], r[1][i], 1e-6);
    }

    @Test
    void scaleAndSelectionGradients() {
        float[] x = {1f, 2f, 3f, 4f, 5f, 6f};
        float[][] r = valueAndGradient(x, t -> Losses.scale(Losses.selectFlat(t, new long[] {5, 1, 1}).sum(), 0.25f));
        assertEquals(0.25f * (6 + 2 + 2), r[0][0], 1e-6f);
        assertArrayEquals(new float[] {0, 0.5f, 0, 0, 0, 0.25f}, r[1], 1e-7f);
    }

    @Test
    void emptySelectionsGiveZeroLossAndGradient() {
        float[][] r = valueAndGradient(new float[] {1f, 2f, 3f, 4f},
                t -> Losses.smoothL1Sum(Losses.selectFlat(t, new long[0]).reshape(0, 4), new float[0], 1f));
        assertEquals(0f, r[0][0]);
        assertArrayEquals(new float[4], r[1]);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(0, 3));
            assertEquals(0f, Losses.softmaxCrossEntropy(logits, new int[0]).getFloat());
        }
    }
}
