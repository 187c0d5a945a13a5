package org.rcnn4j.modeling.roiheads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.linalg.TruncatedSvd;

/** TwoMlpHead with fc6/fc7 factorised by truncated SVD against the plain head, and the layout its weights are saved in. */
class BoxHeadSvdTest {
    // Pooled features (R, 4, 3, 3): fc6 is 48×36 (more units than inputs), fc7 40×48.
    private static final Shape POOLED = new Shape(5, 4, 3, 3);

    @Test
    void fullRankFactorisedHeadGivesThePlainHeadsOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            TwoMlpHead plain = head(m, 0, 0);
            TwoMlpHead factorised = head(m, 36, 40);
            copyFactorised(plain, factorised);
            NDArray x = m.randomNormal(POOLED);
            float[][] a = outputs(m, plain, x);
            float[][] b = outputs(m, factorised, x);
            assertTrue(relativeError(b[0], a[0]) < 1e-5, "fc7 features: " + relativeError(b[0], a[0]));
            // At a lower rank the head is an approximation: its outputs differ measurably.
            TwoMlpHead low = head(m, 6, 5);
            copyFactorised(plain, low);
            assertTrue(relativeError(outputs(m, low, x)[0], a[0]) > 1e-3);
        }
    }

    @Test
    void parameterCountsAreTUPlusVPlusBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            TwoMlpHead h = head(m, 10, 7);
            FactorisedLinear fc6 = assertInstanceOf(FactorisedLinear.class, h.fc6());
            FactorisedLinear fc7 = assertInstanceOf(FactorisedLinear.class, h.fc7());
            assertEquals(10L * (48 + 36) + 48, count(fc6));
            assertEquals(7L * (40 + 48) + 40, count(fc7));
            assertEquals(new Shape(10, 36), fc6.first().getParameters().get("weight").getArray().getShape());
            assertEquals(new Shape(48, 10), fc6.second().getParameters().get("weight").getArray().getShape());
            assertEquals(1, fc6.first().getParameters().size(), "the first layer has no bias");
            TwoMlpHead plain = head(m, 0, 0);
            assertEquals(48L * 36 + 48, count(plain.fc6()));
        }
    }

    @Test
    void unfactorisedHeadKeepsItsParameterLayout() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<String> names = new ArrayList<>();
            for (Pair<String, Parameter> p : saved(m, head(m, 0, 0)).getParameters()) names.add(p.getKey());
            // DJL prefixes each child's parameters with its position and name.
            assertEquals(List.of("01fc6_weight", "01fc6_bias", "02fc7_weight", "02fc7_bias", "03cls_score_weight",
                    "03cls_score_bias", "04bbox_pred_weight", "04bbox_pred_bias"), names);
            names.clear();
            for (Pair<String, Parameter> p : saved(m, head(m, 3, 0)).getParameters()) names.add(p.getKey());
            assertEquals(List.of("01fc6_01L_weight", "01fc6_02U_weight", "01fc6_02U_bias", "02fc7_weight", "02fc7_bias",
                    "03cls_score_weight", "03cls_score_bias", "04bbox_pred_weight", "04bbox_pred_bias"), names);
        }
    }

    private static TwoMlpHead head(NDManager m, int rank6, int rank7) {
        TwoMlpHead h = new TwoMlpHead(48, 40, rank6, rank7);
        h.initialize(m, DataType.FLOAT32, POOLED);
        return h;
    }

    /** The head with a predictor for K = 3, as a model directory saves them ({@link FusedHeadWeights}). */
    private static Block saved(NDManager m, TwoMlpHead head) {
        FastRcnnPredictor predictor = new FastRcnnPredictor(3);
        predictor.initialize(m, DataType.FLOAT32, head.getOutputShapes(new Shape[] {POOLED}));
        return new FusedHeadWeights(new Shape(1, 4, 3, 3), head, predictor);
    }

    /** Puts {@code from}'s layers into {@code to}: fc6/fc7 through TruncatedSvd at {@code to}'s ranks. */
    private static void copyFactorised(TwoMlpHead from, TwoMlpHead to) {
        factorise((Linear) from.fc6(), (FactorisedLinear) to.fc6());
        factorise((Linear) from.fc7(), (FactorisedLinear) to.fc7());
    }

    private static void factorise(Linear from, FactorisedLinear to) {
        NDArray w = from.getParameters().get("weight").getArray();
        Shape s = w.getShape();
        TruncatedSvd.Factors f = TruncatedSvd.factorise(w.toFloatArray(), (int) s.get(0), (int) s.get(1), to.rank());
        to.setFactors(f, from.getParameters().get("bias").getArray().toFloatArray());
    }

    private static float[][] outputs(NDManager m, TwoMlpHead h, NDArray x) {
        NDList out = h.forward(new ParameterStore(m, false), new NDList(x), false);
        return new float[][] {out.singletonOrThrow().toFloatArray()};
    }

    private static long count(Block b) {
        long n = 0;
        for (Pair<String, Parameter> p : b.getParameters()) n += p.getValue().getArray().size();
        return n;
    }

    private static double relativeError(float[] x, float[] y) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) * (double) (x[i] - y[i]);
            den += y[i] * (double) y[i];
        }
        return Math.sqrt(num / den);
    }
}
