package org.rcnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.compress.SvdCompression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j compress}: truncated SVD of a trained model's fc6/fc7 (Fast R-CNN §3.1) into a new model directory. */
@Command(
        name = "compress",
        mixinStandardHelpOptions = true,
        description = {
            "Compress a model's fully connected head layers by truncated SVD (Fast R-CNN §3.1):",
            "each named layer W (u×v) becomes two, Σ_t V_tᵀ without bias then U_t with the original bias,",
            "weights dropping from uv to t(u + v). Writes a new model directory; --model is left as it is.",
            "Time the head with 'rcnn4j bench speed' (stage 'head') on both directories."
        })
final class CompressCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "The model directory to compress.")
    Path model;

    @Option(names = "--svd", required = true, paramLabel = "fc6=T1,fc7=T2",
            description = "Layers and the rank t each keeps, 1 ≤ t ≤ min(u, v); e.g. fc6=1024,fc7=256 (the paper's VGG16 setting).")
    String svd;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new model directory (must not exist or be empty).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Integer> ranks = parseSpec(svd);
        if (Files.isDirectory(out) && !isEmpty(out)) throw new UsageException("--out: " + out + " is not empty");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out: " + out + " exists and is not a directory");
        OutputPaths.checkDirectory(out, "--out");
        ModelDirectory.Description d = ModelDirectory.describe(model);
        PrintWriter stdout = spec.commandLine().getOut();
        try (DetectorModel source = ModelDirectory.load(model, d)) {
            List<SvdCompression.Layer> layers = SvdCompression.layers(source).orElseThrow(() -> new UsageException(
                    "--model: " + model + " holds a " + d.detector() + " model, which has no fully connected RoI head (fc6, fc7) to compress"));
            checkRanks(ranks, layers);
            SvdCompression.Result r = SvdCompression.compress(source, ranks);
            try (DetectorModel compressed = r.model(); OutputDirectory dir = OutputDirectory.create(out, false)) {
                ModelDirectory.save(dir.path(), compressed, d.categories(), d.normalize(), training(d, r.layers()));
                dir.commit();
            }
            for (SvdCompression.Compressed c : r.layers()) {
                stdout.printf(Locale.ROOT, "%s: %d×%d at rank %d: %,d → %,d parameters (%.1f %%), weight error ‖ΔW‖/‖W‖ = %.3f, SVD %.1f s%n",
                        c.name(), c.units(), c.inputs(), c.rank(), c.parametersBefore(), c.parametersAfter(),
                        100.0 * c.parametersAfter() / c.parametersBefore(), c.relativeError(), c.seconds());
            }
        }
        stdout.printf(Locale.ROOT, "wrote %s%n", out);
        stdout.flush();
        return 0;
    }

    /** {@code fc6=T1,fc7=T2} → {fc6: T1, fc7: T2}; a malformed spec is a usage error naming --svd. */
    static Map<String, Integer> parseSpec(String spec) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String part : spec.split(",", -1)) {
            String[] kv = part.trim().split("=", -1);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new UsageException("--svd: expected LAYER=RANK[,LAYER=RANK], e.g. fc6=1024,fc7=256; got '" + spec + "'");
            }
            String layer = kv[0].trim();
            if (!SvdCompression.LAYERS.contains(layer)) {
                throw new UsageException("--svd: unknown layer '" + layer + "'; expected " + String.join(" or ", SvdCompression.LAYERS));
            }
            int t;
            try {
                t = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--svd: " + layer + ": rank '" + kv[1].trim() + "' is not a whole number");
            }
            if (t < 1) throw new UsageException("--svd: " + layer + ": rank " + t + " must be at least 1");
            if (ranks.put(layer, t) != null) throw new UsageException("--svd: " + layer + " is given twice");
        }
        return ranks;
    }

    private static void checkRanks(Map<String, Integer> ranks, List<SvdCompression.Layer> layers) {
        for (SvdCompression.Layer l : layers) {
            Integer t = ranks.get(l.name());
            if (t == null) continue;
            if (l.rank() > 0) throw new UsageException("--svd: " + l.name() + " of this model is already factorised (rank " + l.rank() + ")");
            if (t > l.maxRank()) {
                throw new UsageException("--svd: " + l.name() + "=" + t + " exceeds min(u, v) = " + l.maxRank() + " of this "
                        + l.units() + "×" + l.inputs() + " layer");
            }
        }
    }

    /** The source's training facts, with this compression added under {@code compressed} (merged with an earlier one). */
    private Map<String, Object> training(ModelDirectory.Description d, List<SvdCompression.Compressed> layers) {
        Map<String, Object> training = new LinkedHashMap<>(d.training() == null ? Map.of() : d.training());
        Map<String, Object> compressed = SvdCompression.describe(layers);
        if (training.get("compressed") instanceof Map<?, ?> earlier && earlier.get("layers") instanceof Map<?, ?> done) {
            @SuppressWarnings("unchecked")
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) done);
            @SuppressWarnings("unchecked")
            Map<String, Object> now = (Map<String, Object>) compressed.get("layers");
            merged.putAll(now);
            compressed.put("layers", merged);
        }
        compressed.put("source", model.toAbsolutePath().normalize().toString());
        training.put("compressed", compressed);
        return training;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
