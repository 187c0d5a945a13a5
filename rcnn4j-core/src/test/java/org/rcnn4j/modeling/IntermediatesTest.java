package org.rcnn4j.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.backbone.FeatureMaps;

/** What a step frees and what it keeps, at inference and while autograd records. */
class IntermediatesTest {

    @Test
    void atInferenceEverythingTheStepMadeIsClosedButItsOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4));
            List<NDArray> made = new ArrayList<>();
            NDArray y = Intermediates.keepOnly(x, () -> {
                NDArray a = x.mul(x);
                NDArray b = a.add(x);
                made.add(a);
                made.add(b);
                return b.sum();
            });
            assertTrue(made.get(0).isReleased());
            assertTrue(made.get(1).isReleased());
            assertFalse(x.isReleased());
            assertEquals(8f, y.getFloat(), 0f);
        }
    }

    @Test
    void anInnerStepsOutputIsFreedByTheOuterStepUnlessTheOuterReturnsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(3));
            NDArray[] inner = new NDArray[2];
            NDList out = Intermediates.keepOnly(new NDList(x), () -> {
                inner[0] = Intermediates.keepOnly(x, () -> x.add(1));      // used, then dead
                inner[1] = Intermediates.keepOnly(x, () -> x.mul(5));      // returned by the outer step
                return new NDList(inner[0].mul(2), inner[1]);
            });
            assertTrue(inner[0].isReleased());
            assertFalse(inner[1].isReleased());
            assertArrayEquals(new float[] {4, 4, 4}, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {5, 5, 5}, out.get(1).toFloatArray());
        }
    }

    @Test
    void anInputReturnedUnchangedStaysTheCallers() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] t = new NDArray[1];
            NDArray out = Intermediates.keepOnly(m.zeros(new Shape(1)), () -> {
                t[0] = m.ones(new Shape(2));
                // The inner step hands back its input: the outer step made it, so the outer step frees it.
                NDArray same = Intermediates.keepOnly(t[0], () -> t[0]);
                assertSame(t[0], same);
                return same.add(1);
            });
            assertTrue(t[0].isReleased());
            assertArrayEquals(new float[] {2, 2}, out.toFloatArray());

            NDArray mine = m.ones(new Shape(2));
            assertSame(mine, Intermediates.keepOnly(mine, () -> mine));
            assertFalse(mine.isReleased());
        }
    }

    @Test
    void whileAutogradRecordsNothingIsClosed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4));
            x.setRequiresGradient(true);
            NDArray[] a = new NDArray[1];
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Intermediates.keepOnly(x, () -> {
                    a[0] = x.mul(3);
                    return a[0].sum();
                });
                assertFalse(a[0].isReleased());
                gc.backward(y);
            }
            assertArrayEquals(new float[] {3, 3, 3, 3}, x.getGradient().toFloatArray());
        }
    }

    /**
     * A whole backbone at inference: the same maps as with every intermediate kept (the pass inside a
     * GradientCollector, which closes nothing), while the image's manager is left holding a handful
     * of arrays instead of every activation.
     */
    @Test
    void aBackbonePassKeepsItsValuesAndLeavesOnlyItsMaps() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("resnet18-w0.25");
            b.initialize(m, 7);
            ParameterStore ps = new ParameterStore(m, false);
            float[] pixels = new float[3 * 64 * 96];
            java.util.SplittableRandom random = new java.util.SplittableRandom(3);
            for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
            Shape shape = new Shape(1, 3, 64, 96);
            float[] expected;
            try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray image = sub.create(pixels, shape);
                expected = b.forwardStages(ps, image, false, List.of("C3", "C5")).get("C5").toFloatArray();
                assertTrue(sub.getManagedArrays().size() > 40, "a recorded pass keeps its activations");
            }
            try (NDManager sub = m.newSubManager()) {
                NDArray image = sub.create(pixels, shape);
                FeatureMaps maps = b.forwardStages(ps, image, false, List.of("C3", "C5"));
                assertEquals(3, sub.getManagedArrays().size(), "the image and its two maps: " + sub.getManagedArrays());
                assertArrayEquals(expected, maps.get("C5").toFloatArray());
            }
        }
    }
}
