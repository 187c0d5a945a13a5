package org.rcnn4j.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.rcnn4j.io.BadInputException;

/**
 * Reads detector configs from JSON (a {@code --config} file, or {@code config} in a
 * {@code model.json}) and checks them field by field: a malformed value, an unknown field or a value
 * out of range is one {@link BadInputException} naming the file and the field's path
 * ({@code roi.pooler}), never a stack trace of the JSON library.
 */
public final class ConfigFiles {
    // Fields added since a config was written (roi.svdFc6, roi.head) read as their defaults.
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper LENIENT = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigFiles() {}

    /**
     * A config file of {@code type}, every field checked ({@link DetectorConfig#validate()}); unknown
     * fields are errors (a misspelt field would otherwise be silently ignored).
     *
     * @throws BadInputException naming {@code file} and the field
     */
    public static <C extends DetectorConfig> C read(Path file, Class<C> type) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file, null, Files.isDirectory(file) ? "a directory, not a config file" : "no such file");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file, null, "not JSON: " + firstLine(e));
        }
        if (tree == null || tree.isMissingNode()) throw new BadInputException(file, null, "empty file, not a config");
        if (!tree.isObject()) throw new BadInputException(file, null, "not a JSON object");
        return fromTree(tree, type, file, "", STRICT);
    }

    /**
     * The config under {@code node} (a {@code model.json}'s {@code config}), checked; fields this build
     * does not know are ignored, so that a newer build's model directory still loads where it can.
     *
     * @param prefix the node's path in the file ({@code config})
     * @throws BadInputException naming {@code file} and the field
     */
    public static <C extends DetectorConfig> C fromTree(JsonNode node, Class<C> type, Path file, String prefix) {
        return fromTree(node, type, file, prefix, LENIENT);
    }

    private static <C extends DetectorConfig> C fromTree(JsonNode node, Class<C> type, Path file, String prefix,
            ObjectMapper mapper) {
        C config;
        try {
            config = mapper.treeToValue(node, type);
        } catch (JsonMappingException e) {
            ConfigException range = causeOf(e, ConfigException.class);
            if (range != null) throw new BadInputException(file, join(prefix, range.field()), range.problem());
            throw new BadInputException(file, join(prefix, path(e)), problem(e));
        } catch (JsonProcessingException e) {
            throw new BadInputException(file, prefix.isEmpty() ? null : prefix, "damaged: " + firstLine(e));
        }
        try {
            config.validate();
        } catch (ConfigException e) {
            throw new BadInputException(file, join(prefix, e.field()), e.problem());
        } catch (NullPointerException e) {
            throw new BadInputException(file, prefix.isEmpty() ? null : prefix, "incomplete: a section is missing");
        }
        return config;
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable c = e; c != null; c = c.getCause()) if (type.isInstance(c)) return type.cast(c);
        return null;
    }

    /** The failing field's dotted path, from Jackson's reference chain. */
    static String path(JsonMappingException e) {
        StringJoiner j = new StringJoiner(".");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) j.add(r.getFieldName());
            else if (r.getIndex() >= 0) j.add(Integer.toString(r.getIndex()));
        }
        return j.toString();
    }

    /** What is wrong, in words: the cause's message for a value the types refused, Jackson's first line otherwise. */
    private static String problem(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) return "unknown field '" + u.getPropertyName() + "'";
        IllegalArgumentException refused = causeOf(e.getCause(), IllegalArgumentException.class);
        if (refused != null && refused.getMessage() != null) return refused.getMessage();
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        return m.isEmpty() ? "malformed" : "malformed: " + m;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) return path.isEmpty() ? null : path;
        return path.isEmpty() ? prefix : prefix + "." + path;
    }

    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }
}
