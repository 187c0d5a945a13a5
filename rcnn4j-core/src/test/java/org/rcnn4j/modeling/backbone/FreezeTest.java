package org.rcnn4j.modeling.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frozen stages keep their weights through an optimizer step; the others move. */
class FreezeTest {
    @Test
    void frozenStagesStayFixedAfterAStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("resnet18-w0.25");
            b.initialize(m, 3);
            b.freezeUpTo("C2");
            Map<String, float[]> before = new HashMap<>();
            for (Pair<String, Parameter> p : b.getParameters()) before.put(p.getKey(), p.getValue().getArray().toFloatArray());
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
            // Two steps: residual branches start with γ = 0 and get gradients once γ has moved.
            for (int iteration = 0; iteration < 2; iteration++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray image = step.randomNormal(new Shape(2, 3, 64, 64));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray f = b.features(new ParameterStore(step, false), image, true);
                        gc.backward(f.mul(f).mean());
                    }
                    for (Parameter p : b.getParameters().values()) {
                        if (!p.requiresGradient()) continue;
                        try (NDArray grad = p.getArray().getGradient()) {
                            sgd.update(p.getId(), p.getArray(), grad);
                        }
                    }
                }
            }
            int frozen = 0, moved = 0;
            for (Pair<String, Parameter> p : b.getParameters()) {
                String stage = p.getKey().substring(2, p.getKey().indexOf('_'));
                boolean shouldFreeze = stage.equals("stem") || stage.equals("C2");
                assertEquals(!shouldFreeze, p.getValue().requiresGradient(), p.getKey());
                float[] now = p.getValue().getArray().toFloatArray();
                if (shouldFreeze) {
                    assertArrayEquals(before.get(p.getKey()), now, 0f, p.getKey());
                    frozen++;
                } else if (stage.equals("C3") && !Arrays.equals(before.get(p.getKey()), now)) {
                    moved++;
                }
            }
            assertEquals(true, frozen > 10);
            assertEquals(true, moved > 10, "C3 parameters were updated: " + moved);
            b.unfreezeAll();
            assertFalse(b.getParameters().values().stream().anyMatch(p -> !p.requiresGradient()));
        }
    }
}
