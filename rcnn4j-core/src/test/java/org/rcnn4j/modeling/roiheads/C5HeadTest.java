package org.rcnn4j.modeling.roiheads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.rcnn4j.modeling.backbone.Backbones;

/** The C5 head: the stage, then global average pooling per RoI and channel; Fast R-CNN's predictor on its features. */
class C5HeadTest {
    @Test
    void siblingLayersSeeEachChannelsMeanOverTheRoi() {
        try (NDManager m = NDManager.newBaseManager()) {
            // An identity "stage" isolates the pooling and the sibling layers; K = 1.
            C5Head head = new C5Head(new LambdaBlock(x -> x));
            head.initialize(m, DataType.FLOAT32, new Shape(2, 2, 2, 2));
            FastRcnnPredictor predictor = new FastRcnnPredictor(1);
            predictor.initialize(m, DataType.FLOAT32, new Shape(2, 2));
            set(predictor.clsScore(), "weight", 1, 0, 2, -1);
            set(predictor.clsScore(), "bias", 0.5f, 0);
            float[] ones = new float[8 * 2];
            java.util.Arrays.fill(ones, 1);
            set(predictor.bboxPred(), "weight", ones);
            set(predictor.bboxPred(), "bias", 0, 0, 0, 0, 0, 0, 0, 1);
            // RoI 0: channel means 2.5 and 1; RoI 1: 1 and 2.
            NDArray x = m.create(new float[] {1, 2, 3, 4, 0, 0, 0, 4, 1, 1, 1, 1, 2, 2, 2, 2}, new Shape(2, 2, 2, 2));
            ParameterStore ps = new ParameterStore(m, false);
            NDList features = head.forward(ps, new NDList(x), false);
            assertArrayEquals(new float[] {2.5f, 1, 1, 2}, features.singletonOrThrow().toFloatArray(), 1e-6f);
            NDList out = predictor.forward(ps, features, false);
            // logits = W·mean + b: (2.5 + 0.5, 2·2.5 − 1) and (1 + 0.5, 2·1 − 2).
            assertArrayEquals(new float[] {3, 4, 1.5f, 0}, out.get(0).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {3.5f, 3.5f, 3.5f, 3.5f, 3.5f, 3.5f, 3.5f, 4.5f, 3, 3, 3, 3, 3, 3, 3, 4},
                    out.get(1).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void aBackbonesC5HalvesTheRoiAndGivesKPlusOneScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block c5 = Backbones.create("tiny").stageBlock("C5");
            C5Head head = new C5Head(c5);
            Shape pooled = new Shape(3, 64, 7, 7);
            head.initialize(m, DataType.FLOAT32, pooled);
            assertEquals(new Shape(3, 64, 4, 4), c5.getOutputShapes(new Shape[] {pooled})[0]);
            FastRcnnPredictor predictor = new FastRcnnPredictor(2);
            predictor.initialize(m, DataType.FLOAT32, head.getOutputShapes(new Shape[] {pooled}));
            ParameterStore ps = new ParameterStore(m, false);
            NDList features = head.forward(ps, new NDList(m.randomNormal(pooled)), false);
            assertEquals(head.getOutputShapes(new Shape[] {pooled})[0], features.singletonOrThrow().getShape());
            NDList out = predictor.forward(ps, features, false);
            Shape[] expected = predictor.getOutputShapes(head.getOutputShapes(new Shape[] {pooled}));
            assertEquals(new Shape(3, 3), out.get(0).getShape());
            assertEquals(new Shape(3, 12), out.get(1).getShape());
            assertEquals(expected[0], out.get(0).getShape());
            assertEquals(expected[1], out.get(1).getShape());
            assertEquals(2, predictor.numClasses());
        }
    }

    private static void set(Block layer, String name, float... values) {
        layer.getParameters().get(name).getArray().set(FloatBuffer.wrap(values));
    }
}
