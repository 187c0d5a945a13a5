package org.rcnn4j.modeling.neck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.backbone.FeatureMaps;
import org.rcnn4j.modeling.backbone.FeatureSpec;

class FeaturePyramidTest {

    @Test
    void outputLevelsHaveDChannelsAndTheInputsStridesPlusP6() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone backbone = Backbones.create("tiny");
            backbone.initialize(m, 1);
            FeaturePyramid fpn = new FeaturePyramid(backbone.pyramid(), 24);
            fpn.initialize(m, 2);
            List<FeatureSpec> specs = fpn.outputSpecs();
            assertEquals(List.of("P2", "P3", "P4", "P5", "P6"), specs.stream().map(FeatureSpec::name).toList());
            assertArrayEquals(new int[] {4, 8, 16, 32, 64}, specs.stream().mapToInt(FeatureSpec::stride).toArray());
            ParameterStore ps = new ParameterStore(m, false);
            // 100 × 75 (odd sides): C2..C5 are 25×19, 13×10, 7×5, 4×3; P6 is ⌈4/2⌉ × ⌈3/2⌉ = 2×2.
            NDArray x = m.randomNormal(new Shape(2, 3, 100, 75));
            FeatureMaps c = backbone.forwardStages(ps, x, false, Backbone.PYRAMID);
            NDList p = fpn.forward(ps, new NDList(c.get("C2"), c.get("C3"), c.get("C4"), c.get("C5")), false);
            long[][] expected = {{25, 19}, {13, 10}, {7, 5}, {4, 3}, {2, 2}};
            assertEquals(5, p.size());
            for (int i = 0; i < 5; i++) {
                assertEquals(new Shape(2, 24, expected[i][0], expected[i][1]), p.get(i).getShape(), "P" + (i + 2));
                assertEquals(specs.get(i).mapSize(100), expected[i][0]);
                assertEquals(specs.get(i).mapSize(75), expected[i][1]);
            }
            Shape[] inferred = fpn.getOutputShapes(new Shape[] {c.get("C2").getShape(), c.get("C3").getShape(),
                c.get("C4").getShape(), c.get("C5").getShape()});
            for (int i = 0; i < 5; i++) assertEquals(p.get(i).getShape(), inferred[i]);
            // P6 is P5 at every other cell.
            assertArrayEquals(p.get(3).get("0, :, 2, 2").toFloatArray(), p.get(4).get("0, :, 1, 1").toFloatArray());
        }
    }

    @Test
    void upsamplingRepeatsEachCellTwiceAndCropsOddSides() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 1, 2, 3));
            NDArray up = FeaturePyramid.upsample(x, new Shape(1, 1, 3, 5));
            assertEquals(new Shape(1, 1, 3, 5), up.getShape());
            assertArrayEquals(new float[] {1, 1, 2, 2, 3, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6}, up.toFloatArray());
            assertEquals(new Shape(1, 1, 4, 6), FeaturePyramid.upsample(x, new Shape(1, 1, 4, 6)).getShape());
        }
    }

    @Test
    void gradientsReachEveryLateralAndTheBackbone() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<FeatureSpec> in = List.of(new FeatureSpec("C2", 3, 4), new FeatureSpec("C3", 5, 8));
            FeaturePyramid fpn = new FeaturePyramid(in, 4);
            fpn.initialize(m, 7);
            NDArray c2 = m.randomNormal(new Shape(1, 3, 9, 7));
            NDArray c3 = m.randomNormal(new Shape(1, 5, 5, 4));
            c2.setRequiresGradient(true);
            c3.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList p = fpn.forward(ps, new NDList(c2, c3), true);
                // Only P2 in the loss: C3 is reached through the top-down path alone.
                gc.backward(p.get(0).sum());
            }
            assertTrue(c3.getGradient().abs().sum().getFloat() > 0, "top-down path carries C3's gradient");
            assertTrue(c2.getGradient().abs().sum().getFloat() > 0);
            for (var param : fpn.getParameters()) {
                if (param.getKey().contains("output3")) continue; // P3 is not in the loss
                assertNotNull(param.getValue().getArray().getGradient());
                assertTrue(param.getValue().getArray().getGradient().abs().sum().getFloat() > 0, param.getKey());
            }
        }
    }

    @Test
    void sameSeedSameWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<FeatureSpec> in = List.of(new FeatureSpec("C2", 3, 4), new FeatureSpec("C3", 5, 8));
            FeaturePyramid a = new FeaturePyramid(in, 4);
            FeaturePyramid b = new FeaturePyramid(in, 4);
            a.initialize(m, 11);
            b.initialize(m, 11);
            var pa = a.getParameters().values();
            var pb = b.getParameters().values();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.get(i).getArray().toFloatArray(), pb.get(i).getArray().toFloatArray());
            }
            // The lateral of C2 (4 × 3 × 1 × 1) is drawn with std √(1/3) ≈ 0.58, the 3×3 output with √(1/36).
            float[] lateral = pa.get(0).getArray().toFloatArray();
            assertEquals(12, lateral.length);
            assertTrue(rms(lateral) > 0.25 && rms(lateral) < 1.0, "lateral rms " + rms(lateral));
            float[] output = pa.get(2).getArray().toFloatArray();
            assertEquals(4 * 4 * 9, output.length);
            assertTrue(rms(output) > 0.12 && rms(output) < 0.22, "output rms " + rms(output));
        }
    }

    private static double rms(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s / v.length);
    }
}
