package org.rcnn4j.modeling.roiheads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.linalg.LinearSvm;
import org.rcnn4j.linalg.RidgeRegression;

/** R-CNN's predictor: the SVMs' margins, the regressors' deltas, the softmax in fine-tuning, saving. */
class RcnnPredictorTest {
    /** Two SVMs on 3-d features: class 1 w = (1, 0, −1), b = 0.5; class 2 w = (0, 2, 0), b = −1. */
    static List<LinearSvm> svms() {
        return List.of(LinearSvm.fromAugmentedWeights(new double[] {1, 0, -1, 0.05}, 10),
                LinearSvm.fromAugmentedWeights(new double[] {0, 2, 0, -0.1}, 10));
    }

    @Test
    void svmMarginsAreTheScaledFeaturesTimesTheWeightsPlusTheBias() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassSvms block = new ClassSvms(2);
            assertFalse(block.trained());
            block.set(2f, svms());
            float[] x = {1, 2, 3, 0, 0.5f, 0};
            float[] out = block.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 3))), false)
                    .singletonOrThrow().toFloatArray();
            // row 1: s·x = (2, 4, 6): class 1 2 − 6 + 0.5 = −3.5, class 2 8 − 1 = 7; row 2: (0, 1, 0): 0.5, 1.
            assertArrayEquals(new float[] {0, -3.5f, 7, 0, 0.5f, 1}, out, 1e-5f);
        }
    }

    @Test
    void regressorDeltasFollowEachClassAffineMapAndLeaveTheOthersAtZero() {
        // Class 1 fits t = 0.5·x exactly (a tiny λ); class 2 has no regressor.
        float[] features = {1, 0, 0, 1, 1, 1, 2, 0};
        float[] targets = new float[16];
        for (int i = 0; i < 4; i++) {
            float s = features[2 * i] + features[2 * i + 1];
            targets[4 * i] = 0.5f * features[2 * i];
            targets[4 * i + 1] = 0.5f * features[2 * i + 1];
            targets[4 * i + 2] = 0.25f * s;
            targets[4 * i + 3] = -0.5f * s;
        }
        RidgeRegression reg = RidgeRegression.fit(features, 4, 2, targets, 4, 1e-9);
        try (NDManager m = NDManager.newBaseManager()) {
            ClassBoxRegressors block = new ClassBoxRegressors(2);
            block.set(2f, 2, Arrays.asList(reg, null));
            // features as the model sees them, before the scale 2: (0.5, 0.5) → scaled (1, 1)
            float[] out = block.forward(new ParameterStore(m, false), new NDList(m.create(new float[] {0.5f, 0.5f}, new Shape(1, 2))),
                    false).singletonOrThrow().toFloatArray();
            float[] want = {0, 0, 0, 0, 0.5f, 0.5f, 0.5f, -1f, 0, 0, 0, 0};
            assertArrayEquals(want, out, 1e-3f);
        }
    }

    @Test
    void fineTuningTrainsTheSoftmaxWithZeroDeltasAndTestingUsesTheChosenClassifier() {
        try (NDManager m = NDManager.newBaseManager()) {
            RcnnPredictor p = new RcnnPredictor(2);
            p.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 4));
            ParameterStore ps = new ParameterStore(m, false);
            NDList in = new NDList(m.create(new float[] {1, 2, 3, 0, 0.5f, 0}, new Shape(2, 3)), m.ones(new Shape(2, 4)));
            NDList train = p.forward(ps, in, true);
            assertEquals(new Shape(2, 3), train.get(0).getShape());
            assertArrayEquals(new float[24], train.get(1).toFloatArray(), "R-CNN fine-tunes a classifier only");
            // Untrained SVMs: the softmax stands in, probabilities summing to 1.
            assertEquals(RcnnPredictor.Classifier.SOFTMAX, p.scoring());
            float[] probs = p.testScores(p.forward(ps, in, false).get(0));
            assertEquals(1f, probs[0] + probs[1] + probs[2], 1e-5f);
            p.svms().set(2f, svms());
            assertEquals(RcnnPredictor.Classifier.SVM, p.scoring());
            NDList test = p.forward(ps, in, false);
            assertArrayEquals(new float[] {0, -3.5f, 7, 0, 0.5f, 1}, p.testScores(test.get(0)), 1e-5f, "margins as they are");
            assertArrayEquals(new float[24], test.get(1).toFloatArray(), "no regressors yet: the proposals' boxes");
            p.use(RcnnPredictor.Classifier.SOFTMAX, true);
            assertEquals(RcnnPredictor.Classifier.SOFTMAX, p.scoring());
        }
    }

    @Test
    void svmsAndRegressorsSaveAndLoadWithTheBlock() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            RcnnPredictor p = new RcnnPredictor(2);
            p.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2));
            byte[] untrained = save(p);
            p.svms().set(2f, svms());
            RidgeRegression reg = RidgeRegression.fit(new float[] {1, 0, 0, 1, 1, 1}, 3, 2,
                    new float[] {0.1f, 0.2f, 0.3f, 0.4f, -0.1f, 0, 0.2f, 0.1f, 0, 0, 0.5f, 0.5f}, 4, 1);
            p.regressors().set(0.5f, 2, Arrays.asList(reg, reg));
            byte[] trained = save(p);
            RcnnPredictor q = new RcnnPredictor(2);
            q.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2));
            load(q, m, trained);
            assertTrue(q.svms().trained() && q.regressors().trained());
            assertEquals(2f, q.svms().scale());
            assertEquals(0.5f, q.regressors().scale());
            ParameterStore ps = new ParameterStore(m, false);
            NDList in = new NDList(m.create(new float[] {1, 2, 3}, new Shape(1, 3)), m.create(new float[] {0.3f, 0.7f}, new Shape(1, 2)));
            NDList a = p.forward(ps, in, false);
            NDList b = q.forward(ps, in, false);
            assertArrayEquals(a.get(0).toFloatArray(), b.get(0).toFloatArray());
            assertArrayEquals(a.get(1).toFloatArray(), b.get(1).toFloatArray());
            RcnnPredictor fresh = new RcnnPredictor(2);
            fresh.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2));
            load(fresh, m, untrained);
            assertFalse(fresh.svms().trained() || fresh.regressors().trained(), "a model saved before its SVMs has none");
            RcnnPredictor threeClasses = new RcnnPredictor(3);
            threeClasses.initialize(m, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2));
            assertThrows(MalformedModelException.class, () -> load(threeClasses.svms(), m, save(p.svms())));
        }
    }

    private static byte[] save(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static void load(Block block, NDManager m, byte[] bytes) throws IOException, MalformedModelException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(m, in);
        }
    }

    @Test
    void theWarpedRegionHeadPoolsEachWholeWindowAsRoIAlignDoes() {
        try (NDManager m = NDManager.newBaseManager()) {
            org.rcnn4j.modeling.backbone.Backbone backbone = org.rcnn4j.modeling.backbone.Backbones.create("tiny");
            backbone.initialize(m, 5);
            WarpedRegionHead head = new WarpedRegionHead(backbone, 7, new TwoMlpHead(32, 16));
            head.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray warped = m.randomNormal(new Shape(3, 3, 64, 64));
            NDList out = head.forward(ps, new NDList(warped), false);
            assertEquals(new Shape(3, 16), out.get(0).getShape());
            assertEquals(new Shape(3, 64 * 49), out.get(1).getShape());
            NDArray map = backbone.features(ps, warped, false);
            org.rcnn4j.modeling.poolers.RoIAlign align = new org.rcnn4j.modeling.poolers.RoIAlign(7, 7, 0, true);
            for (int r = 0; r < 3; r++) {
                float[] want = align.pool(m, map.get(r), new float[] {0, 0, 64, 64}, 1f / 16).toFloatArray();
                float[] got = out.get(1).get(r).toFloatArray();
                assertArrayEquals(want, got, 1e-5f, "region " + r);
            }
        }
    }
}
