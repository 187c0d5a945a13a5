package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Category;
import org.rcnn4j.preprocess.Normalize;

/** Starting a model from a trained one: everything carries over but the predictor, unless the classes are the same. */
class FineTuningTest {
    @TempDir Path dir;

    @Test
    void everyWeightButThePredictorCarriesOverToOtherClasses() throws Exception {
        FasterRcnnConfig config = TinyDetectors.fasterRcnn();
        try (FasterRcnn trained = FasterRcnn.create(config, 7)) {
            ModelDirectory.save(dir, trained, TinyDetectors.CLASSES, Normalize.imagenet(), Map.of());
            List<Category> three = List.of(new Category(5, "x"), new Category(6, "y"), new Category(7, "z"));
            FineTuning.Start other = FineTuning.start(dir, config.withNumClasses(3), three, 1);
            FineTuning.Start same = FineTuning.start(dir, config, TinyDetectors.CLASSES, 1);
            try (DetectorModel o = other.model(); DetectorModel s = same.model()) {
                assertFalse(other.sameClasses());
                assertTrue(same.sameClasses());
                assertEquals(4, other.fresh(), "cls_score and bbox_pred, weight and bias, start fresh");
                assertEquals(0, same.fresh());
                assertEquals(other.copied() + 4, same.copied());
                for (Map.Entry<String, ai.djl.nn.Block> e : trained.blocks().entrySet()) {
                    ai.djl.nn.ParameterList from = e.getValue().getParameters();
                    ai.djl.nn.ParameterList kept = s.blocks().get(e.getKey()).getParameters();
                    ai.djl.nn.ParameterList moved = o.blocks().get(e.getKey()).getParameters();
                    for (int i = 0; i < from.size(); i++) {
                        String name = e.getKey() + "/" + from.get(i).getKey();
                        float[] w = from.get(i).getValue().getArray().toFloatArray();
                        assertArrayEquals(w, kept.get(i).getValue().getArray().toFloatArray(), name + " (same classes)");
                        boolean predictor = name.startsWith("box_head/") && (name.contains("cls_score") || name.contains("bbox_pred"));
                        float[] m = moved.get(i).getValue().getArray().toFloatArray();
                        if (predictor) assertFalse(Arrays.equals(w, m), name + " starts fresh for other classes");
                        else assertArrayEquals(w, m, name + " (other classes)");
                    }
                }
                assertEquals(4L * 4, o.blocks().get("box_head").getParameters().get("04bbox_pred_bias").getArray().size(),
                        "the predictor has the new classes' shape");
            }
        }
    }
}
