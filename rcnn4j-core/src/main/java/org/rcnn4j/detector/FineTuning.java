package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Category;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.NativeFloats;

/**
 * Fine-tuning a trained model on other data, as users adapt torchvision's and Detectron2's COCO
 * models: a new model of the trained one's architecture for the new data's classes, starting from
 * every trained weight except the class predictor's ({@code cls_score}, {@code bbox_pred}), which
 * starts fresh for the new classes. The predictor is kept too when the classes are the same (ids and
 * names, in order): then training simply continues.
 */
public final class FineTuning {
    private FineTuning() {}

    /** What was carried over. */
    public record Start(DetectorModel model, int copied, int fresh, boolean sameClasses) {}

    /**
     * @param dir        a model directory
     * @param config     the config to train: {@code dir}'s with the new data's K ({@code withNumClasses})
     * @param categories the new data's classes, in class-index order
     * @param seed       draws the fresh predictor
     * @throws BadInputException when {@code dir} is not a model directory rcnn4j can read
     */
    public static Start start(Path dir, DetectorConfig config, List<Category> categories, long seed) {
        ModelDirectory.Description d = ModelDirectory.describe(dir);
        DetectorKind kind = DetectorKinds.find(d.detector()).orElseThrow();
        boolean same = d.categories().equals(categories);
        DetectorModel model = kind.create(config, seed, null);
        try (DetectorModel trained = ModelDirectory.load(dir, d)) {
            Set<Parameter> predictor = predictorParameters(model);
            int copied = 0, fresh = 0;
            for (Map.Entry<String, Block> e : model.blocks().entrySet()) {
                Map<String, Parameter> from = parameters(trained.blocks().get(e.getKey()));
                for (Pair<String, Parameter> p : e.getValue().getParameters()) {
                    Parameter source = from.get(p.getKey());
                    NDArray to = p.getValue().getArray();
                    boolean fits = source != null && source.getArray().getShape().equals(to.getShape());
                    if (fits && (same || !predictor.contains(p.getValue()))) {
                        // In place through a view: NDArray.set on a parameter that records gradients made
                        // libtorch print its AutoNonVariableTypeMode warning.
                        NativeFloats.overwrite(to, source.getArray().toFloatArray());
                        copied++;
                    } else {
                        fresh++;
                    }
                }
            }
            return new Start(model, copied, fresh, same);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The class predictor's parameters (cls_score, bbox_pred) of a two-stage model; none for the others. */
    private static Set<Parameter> predictorParameters(DetectorModel model) {
        Set<Parameter> out = Collections.newSetFromMap(new IdentityHashMap<>());
        if (model instanceof TwoStageDetector t) {
            for (Pair<String, Parameter> p : t.roiHeads().predictor().getParameters()) out.add(p.getValue());
        }
        return out;
    }

    private static Map<String, Parameter> parameters(Block block) {
        Map<String, Parameter> out = new java.util.HashMap<>();
        if (block != null) for (Pair<String, Parameter> p : block.getParameters()) out.put(p.getKey(), p.getValue());
        return out;
    }
}
