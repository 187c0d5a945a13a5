package org.rcnn4j.detector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rcnn4j.config.ConfigFiles;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Category;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.Normalize;

/**
 * A self-describing model directory: {@code model.json} (detector kind, classes, config,
 * normalisation, the weights' checksum, how it was trained) and {@code weights.bin}. The weights are
 * written first and {@code model.json} last, each atomically, so a reader sees either the old model
 * or the new one. Loading checks the checksum, so a damaged directory is reported in one line.
 */
public final class ModelDirectory {
    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = "weights.bin";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelDirectory() {}

    /**
     * What {@code model.json} says.
     *
     * @param detector   {@code faster-rcnn}, ...
     * @param categories the classes in class-index order (index 1 is the first), with the dataset's ids
     * @param config     the model's config
     * @param normalize  the input normalisation the model was trained with
     * @param weightsSha256 checksum of {@code weights.bin}
     * @param training   free-form facts about training (data, iterations, seconds, seed)
     */
    public record Description(String detector, List<Category> categories, DetectorConfig config, Normalize normalize,
            String weightsSha256, Map<String, Object> training) {}

    /** Saves {@code model} into {@code dir} (created if needed). */
    public static void save(Path dir, DetectorModel model, List<Category> categories, Normalize normalize,
            Map<String, Object> training) throws IOException {
        Files.createDirectories(dir);
        String sha = ModelWeights.save(model.blocks(), dir.resolve(WEIGHTS));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "rcnn4j-model");
        root.put("version", FORMAT_VERSION);
        root.put("detector", model.kind());
        ArrayNode cats = root.putArray("classes");
        for (Category c : categories) cats.addObject().put("id", c.id()).put("name", c.name());
        root.set("config", JSON.valueToTree(model.config()));
        ObjectNode norm = root.putObject("normalize");
        norm.set("mean", JSON.valueToTree(normalize.mean()));
        norm.set("std", JSON.valueToTree(normalize.std()));
        norm.put("unit_range", normalize.unitRange());
        root.put("weights", WEIGHTS);
        root.put("weights_sha256", sha);
        root.set("training", JSON.valueToTree(training));
        AtomicFiles.writeString(dir.resolve(MODEL_JSON), JSON.writeValueAsString(root));
    }

    /** Reads {@code model.json}; errors name the file and the field. */
    public static Description describe(Path dir) {
        Path file = dir.resolve(MODEL_JSON);
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, null, "model directory not found");
        if (!Files.isRegularFile(file)) throw new BadInputException(file, null, "missing: not an rcnn4j model directory");
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw BadInputException.ofJson(file, "damaged", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "damaged: " + e.getMessage(), e);
        }
        if (root == null || !"rcnn4j-model".equals(text(root, "format", file))) {
            throw new BadInputException(file, "format", "not an rcnn4j model");
        }
        JsonNode version = field(root, "version", file);
        if (!version.canConvertToExactIntegral() || version.asLong() < 1) {
            throw new BadInputException(file, "version", "expected a format version from 1 to " + FORMAT_VERSION + ", got " + version);
        }
        if (version.asLong() > FORMAT_VERSION) {
            throw new BadInputException(file, "version", "format version " + version.asLong() + " is newer than this rcnn4j reads ("
                    + FORMAT_VERSION + "); load it with the rcnn4j that wrote it, or a later one");
        }
        String detector = text(root, "detector", file);
        DetectorKind kind = DetectorKinds.find(detector).orElseThrow(() -> new BadInputException(file, "detector",
                "unsupported detector '" + detector + "'; this build has " + DetectorKinds.names()));
        List<Category> categories = new ArrayList<>();
        for (JsonNode c : field(root, "classes", file)) categories.add(new Category(c.path("id").asInt(), c.path("name").asText()));
        DetectorConfig config = ConfigFiles.fromTree(field(root, "config", file), kind.configClass(), file, "config");
        if (config.numClasses() != categories.size()) {
            throw new BadInputException(file, "classes", categories.size() + " classes but config.numClasses = " + config.numClasses());
        }
        Normalize normalize;
        try {
            JsonNode n = field(root, "normalize", file);
            normalize = new Normalize(JSON.treeToValue(n.get("mean"), float[].class),
                    JSON.treeToValue(n.get("std"), float[].class), n.path("unit_range").asBoolean());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new BadInputException(file, "normalize", "damaged: " + e.getMessage(), e);
        }
        Map<String, Object> training;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> t = JSON.treeToValue(root.path("training"), Map.class);
            training = t;
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(file, "training", "damaged: " + e.getMessage(), e);
        }
        return new Description(detector, categories, config, normalize, text(root, "weights_sha256", file), training);
    }

    /** Loads the model described in {@code dir}, checking its weights' checksum. */
    public static DetectorModel load(Path dir, Description description) {
        DetectorKind kind = DetectorKinds.find(description.detector())
                .orElseThrow(() -> new IllegalArgumentException("unknown detector " + description.detector()));
        DetectorModel model = kind.create(description.config(), 0L, null);
        try {
            ModelWeights.load(model.blocks(), dir.resolve(WEIGHTS), model.manager(), description.weightsSha256(), MODEL_JSON);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static JsonNode field(JsonNode root, String name, Path file) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) throw new BadInputException(file, name, "missing");
        return n;
    }

    private static String text(JsonNode root, String name, Path file) {
        return field(root, name, file).asText();
    }
}
