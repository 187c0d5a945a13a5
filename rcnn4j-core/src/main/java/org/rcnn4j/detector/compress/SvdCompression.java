package org.rcnn4j.detector.compress;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.detector.DetectorKind;
import org.rcnn4j.detector.DetectorKinds;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.TwoStageDetector;
import org.rcnn4j.linalg.TruncatedSvd;
import org.rcnn4j.modeling.Blocks;
import org.rcnn4j.modeling.roiheads.FactorisedLinear;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;

/**
 * Test-time compression of a detector's fc6 and fc7 by truncated SVD (Fast R-CNN §3.1: with fc6 at
 * t = 1024 and fc7 at t = 256, VGG16's detection time fell by over 30 % for 0.3 points of mAP).
 * Builds a new model of the same kind whose config records the ranks
 * ({@link RoiConfig#svdFc6()}, {@link RoiConfig#svdFc7()}), with every other
 * parameter copied from the source model.
 */
public final class SvdCompression {
    /** The layers that can be factorised, in the head's order. */
    public static final List<String> LAYERS = List.of("fc6", "fc7");

    private SvdCompression() {}

    /**
     * A fully connected layer of the head.
     *
     * @param units  u, output units
     * @param inputs v, input features
     * @param rank   its truncated SVD rank, 0 when not factorised
     */
    public record Layer(String name, int units, int inputs, int rank) {
        /** The largest rank a factorisation of this layer can keep, min(u, v). */
        public int maxRank() {
            return Math.min(units, inputs);
        }
    }

    /**
     * One layer's factorisation.
     *
     * @param parametersBefore weights and bias of the layer, uv + u
     * @param parametersAfter  weights and bias of the pair, t(u + v) + u
     * @param discardedNorm    Frobenius norm of the weight error, the root of the sum of the discarded σ²
     * @param weightNorm       Frobenius norm of the layer's weights, the root of the sum of all σ²
     * @param seconds          wall time of the SVD
     */
    public record Compressed(String name, int units, int inputs, int rank, long parametersBefore, long parametersAfter,
            double discardedNorm, double weightNorm, double seconds) {
        /** ‖ΔW‖ / ‖W‖, Frobenius norms. */
        public double relativeError() {
            return weightNorm == 0 ? 0 : discardedNorm / weightNorm;
        }
    }

    /** The compressed model (the caller closes it) and what happened to each layer. */
    public record Result(DetectorModel model, List<Compressed> layers) {}

    /** fc6 and fc7 of the model's box head, or empty when its detector has no such head. */
    public static Optional<List<Layer>> layers(DetectorModel model) {
        TwoMlpHead head = twoMlpHead(model);
        if (!(model.config() instanceof RoiHeadConfig) || head == null) return Optional.empty();
        return Optional.of(List.of(layer("fc6", head.fc6()), layer("fc7", head.fc7())));
    }

    /**
     * Factorises the layers named in {@code ranks} ({@code fc6}, {@code fc7}) at their ranks; the others
     * stay as they are.
     *
     * @throws IllegalArgumentException for a model without an RoI head, an unknown or already
     *                                  factorised layer, or a rank outside 1..min(u, v)
     */
    public static Result compress(DetectorModel model, Map<String, Integer> ranks) {
        List<Layer> layers = layers(model).orElseThrow(() -> new IllegalArgumentException(
                "the " + model.kind() + " detector has no fully connected RoI head (fc6, fc7) to compress"));
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            Layer l = layers.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("unknown layer '" + e.getKey() + "'; expected one of " + LAYERS));
            if (l.rank() > 0) throw new IllegalArgumentException(l.name() + " is already factorised at rank " + l.rank());
            if (e.getValue() < 1 || e.getValue() > l.maxRank()) {
                throw new IllegalArgumentException(l.name() + ": rank " + e.getValue() + " outside 1.." + l.maxRank()
                        + " for a " + l.units() + "×" + l.inputs() + " layer");
            }
        }
        RoiHeadConfig config = (RoiHeadConfig) model.config();
        RoiConfig roi = config.roi();
        RoiConfig compressed = roi.withSvd(ranks.getOrDefault("fc6", roi.svdFc6()), ranks.getOrDefault("fc7", roi.svdFc7()));
        DetectorKind kind = DetectorKinds.find(model.kind())
                .orElseThrow(() -> new IllegalArgumentException("unknown detector " + model.kind()));
        DetectorModel target = kind.create(config.withRoi(compressed), 0L, null);
        try {
            TwoMlpHead from = twoMlpHead(model);
            TwoMlpHead to = twoMlpHead(target);
            for (Map.Entry<String, Block> e : model.blocks().entrySet()) {
                if (e.getKey().equals("box_head")) continue;
                Blocks.copyParameters(e.getValue(), target.blocks().get(e.getKey()), target.manager());
            }
            Blocks.copyParameters(((TwoStageDetector) model).roiHeads().predictor(),
                    ((TwoStageDetector) target).roiHeads().predictor(), target.manager());
            List<Compressed> done = new ArrayList<>();
            for (Layer l : layers) {
                Block source = l.name().equals("fc6") ? from.fc6() : from.fc7();
                Block dest = l.name().equals("fc6") ? to.fc6() : to.fc7();
                Integer t = ranks.get(l.name());
                if (t == null) {
                    Blocks.copyParameters(source, dest, target.manager());
                } else {
                    done.add(factorise(l, (Linear) source, (FactorisedLinear) dest, t));
                }
            }
            return new Result(target, done);
        } catch (RuntimeException | Error e) {
            target.close();
            throw e;
        }
    }

    /** The model's box head when it is fc6 and fc7, else null. */
    private static TwoMlpHead twoMlpHead(DetectorModel model) {
        return model instanceof TwoStageDetector t && t.roiHeads().boxHead() instanceof TwoMlpHead h ? h : null;
    }

    /** Parameters of a block and its children: the number of values they hold. */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) n += p.getValue().getArray().size();
        return n;
    }

    private static Compressed factorise(Layer l, Linear source, FactorisedLinear dest, int t) {
        long start = System.nanoTime();
        float[] w = source.getParameters().get("weight").getArray().toFloatArray();
        float[] bias = source.getParameters().get("bias").getArray().toFloatArray();
        TruncatedSvd.Factors f = TruncatedSvd.factorise(w, l.units(), l.inputs(), t);
        dest.setFactors(f, bias);
        double seconds = (System.nanoTime() - start) / 1e9;
        double norm = 0;
        for (double sigma : f.singularValues()) norm += sigma * sigma;
        return new Compressed(l.name(), l.units(), l.inputs(), t, parameterCount(source), parameterCount(dest),
                f.discardedNorm(), Math.sqrt(norm), seconds);
    }

    private static Layer layer(String name, Block block) {
        if (block instanceof FactorisedLinear f) {
            Shape first = f.first().getParameters().get("weight").getArray().getShape();
            return new Layer(name, f.units(), (int) first.get(1), f.rank());
        }
        Shape w = ((Linear) block).getParameters().get("weight").getArray().getShape();
        return new Layer(name, (int) w.get(0), (int) w.get(1), 0);
    }

    /** The ranks as {@code model.json} records them under {@code training.compressed}. */
    public static Map<String, Object> describe(List<Compressed> layers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "truncated-svd");
        Map<String, Object> per = new LinkedHashMap<>();
        for (Compressed c : layers) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("rank", c.rank());
            l.put("shape", List.of(c.units(), c.inputs()));
            l.put("parameters_before", c.parametersBefore());
            l.put("parameters_after", c.parametersAfter());
            l.put("relative_weight_error", c.relativeError());
            l.put("svd_seconds", c.seconds());
            per.put(c.name(), l);
        }
        m.put("layers", per);
        return m;
    }
}
