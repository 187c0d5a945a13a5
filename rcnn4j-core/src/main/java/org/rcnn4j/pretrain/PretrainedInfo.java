package org.rcnn4j.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.Normalize;

/**
 * What a detector needs to know about pre-trained backbone weights, kept in a JSON sidecar next to
 * the weights file ({@code <weights>.json}): the backbone, the image size and normalisation it was
 * trained with, the classifier trained with it, and how well it classified the validation items.
 *
 * <pre>{"backbone": "zf", "imageSize": 96, "normalize": {"mean": [...], "std": [...], "unitRange": true},
 *  "classifier": {"poolSize": 7, "fc6": 512, "fc7": 512},
 *  "validationAccuracy": 0.81, "validationItems": 10000, "iterations": 3000, "trainItems": 50000,
 *  "seed": 0, "dataset": "fashion-mnist"}</pre>
 * A sidecar without {@code classifier} (written before rcnn4j kept fc6 and fc7) reads as the
 * global-pooling classifier. A multi-size run (SPP-net §2.3) adds {@code secondSize} and
 * {@code secondValidationAccuracy}, the accuracy at that size; the classifier of an SPP network adds
 * {@code sppLevels}.
 */
public record PretrainedInfo(String backbone, int imageSize, Normalize normalize, double validationAccuracy,
        int validationItems, int iterations, int trainItems, long seed, PretrainConfig.Classifier classifier, int secondSize,
        double secondValidationAccuracy) {
    /** A single-size run's description. */
    public PretrainedInfo(String backbone, int imageSize, Normalize normalize, double validationAccuracy, int validationItems,
            int iterations, int trainItems, long seed, PretrainConfig.Classifier classifier) {
        this(backbone, imageSize, normalize, validationAccuracy, validationItems, iterations, trainItems, seed, classifier, 0,
                Double.NaN);
    }

    /** The data set pre-training reads. */
    public static final String DATASET = "fashion-mnist";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The sidecar path of {@code weightsFile}: the same name with {@code .json} appended. */
    public static Path sidecarOf(Path weightsFile) {
        return weightsFile.resolveSibling(weightsFile.getFileName() + ".json");
    }

    /** Writes this as the sidecar of {@code weightsFile}, atomically. */
    public void write(Path weightsFile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("backbone", backbone);
        root.put("imageSize", imageSize);
        ObjectNode norm = root.putObject("normalize");
        ArrayNode mean = norm.putArray("mean"), std = norm.putArray("std");
        for (float v : normalize.mean()) mean.add(v);
        for (float v : normalize.std()) std.add(v);
        norm.put("unitRange", normalize.unitRange());
        ObjectNode head = root.putObject("classifier");
        head.put("poolSize", classifier.poolSize());
        head.put("fc6", classifier.fc6());
        head.put("fc7", classifier.fc7());
        if (classifier.pyramid()) {
            ArrayNode levels = head.putArray("sppLevels");
            for (int n : classifier.sppLevels()) levels.add(n);
        }
        root.put("validationAccuracy", validationAccuracy);
        if (secondSize > 0) {
            root.put("secondSize", secondSize);
            root.put("secondValidationAccuracy", secondValidationAccuracy);
        }
        root.put("validationItems", validationItems);
        root.put("iterations", iterations);
        root.put("trainItems", trainItems);
        root.put("seed", seed);
        root.put("dataset", DATASET);
        try {
            AtomicFiles.writeString(sidecarOf(weightsFile), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the sidecar of {@code weightsFile}.
     *
     * @throws BadInputException naming the sidecar and the field when it is missing or malformed
     */
    public static PretrainedInfo read(Path weightsFile) {
        Path file = sidecarOf(weightsFile);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new BadInputException(file, null, "expected a JSON object");
        JsonNode norm = field(file, root, "normalize", "");
        float[] mean = floats(file, field(file, norm, "mean", "normalize."), "normalize.mean");
        float[] std = floats(file, field(file, norm, "std", "normalize."), "normalize.std");
        Normalize normalize;
        try {
            normalize = new Normalize(mean, std, field(file, norm, "unitRange", "normalize.").asBoolean());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, "normalize", e.getMessage(), e);
        }
        PretrainConfig.Classifier classifier = PretrainConfig.Classifier.GLOBAL;
        JsonNode head = root.get("classifier");
        if (head != null) {
            try {
                java.util.List<Integer> levels = new java.util.ArrayList<>();
                for (JsonNode n : head.path("sppLevels")) levels.add(n.asInt());
                classifier = new PretrainConfig.Classifier(field(file, head, "poolSize", "classifier.").asInt(),
                        field(file, head, "fc6", "classifier.").asInt(), field(file, head, "fc7", "classifier.").asInt(), levels);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file, "classifier", e.getMessage(), e);
            }
        }
        return new PretrainedInfo(field(file, root, "backbone", "").asText(), field(file, root, "imageSize", "").asInt(),
                normalize, field(file, root, "validationAccuracy", "").asDouble(), root.path("validationItems").asInt(),
                root.path("iterations").asInt(), root.path("trainItems").asInt(), root.path("seed").asLong(), classifier,
                root.path("secondSize").asInt(0), root.path("secondValidationAccuracy").asDouble(Double.NaN));
    }

    private static JsonNode field(Path file, JsonNode node, String name, String prefix) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) throw new BadInputException(file, prefix + name, "missing");
        return v;
    }

    private static float[] floats(Path file, JsonNode node, String where) {
        if (!node.isArray() || node.size() != 3) throw new BadInputException(file, where, "expected 3 numbers");
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            if (!node.get(i).isNumber()) throw new BadInputException(file, where + "[" + i + "]", "not a number");
            out[i] = node.get(i).floatValue();
        }
        return out;
    }
}
