package org.rcnn4j.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * A proposals file: precomputed region proposals per image, as {@code rcnn4j proposals --out}
 * writes them and detectors that take external proposals ({@code --proposals FILE}) read them:
 *
 * <pre>{"images": [{"image_id": 1, "boxes": [[x1, y1, x2, y2], ...], "scores": [...]}, ...]}</pre>
 *
 * <p>Boxes are absolute continuous {@code x1 y1 x2 y2} in the original image's pixels (as
 * {@link Annotation}); scores are the proposal method's own (higher is better), one per box. Both
 * directions stream with Jackson, so a file with thousands of images and 2000 boxes each needs no
 * JSON tree in memory. Writes are atomic ({@link AtomicFiles}).
 *
 * <p>Image ids: a JSON number is looked up as {@link ImageRecord#id()} (then like a string), a
 * string by {@link Dataset#imageByToken} (the image's name, then its numeric id). Images of the
 * dataset the file does not mention simply have no entry in the result; fields other than the
 * three are skipped.
 */
public final class ProposalsFile {
    private static final JsonFactory JSON = JsonFactory.builder()
            // Read NaN and Infinity tokens so that they are reported as "not a finite number", not as broken JSON.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ProposalsFile() {}

    /**
     * Writes proposals, atomically, in the map's iteration order (one image per line).
     *
     * @param proposals per image id: R boxes (4R floats, original-image pixels) and R scores
     * @throws IllegalArgumentException when a coordinate or score is not finite (the file could not be read back)
     */
    public static void write(Map<Long, Proposals> proposals, Path file) throws IOException {
        for (Map.Entry<Long, Proposals> e : proposals.entrySet()) {
            for (float v : e.getValue().boxes()) if (!Float.isFinite(v)) throw nonFinite(e.getKey(), "boxes");
            for (float v : e.getValue().scores()) if (!Float.isFinite(v)) throw nonFinite(e.getKey(), "scores");
        }
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeArrayFieldStart("images");
                for (Map.Entry<Long, Proposals> e : proposals.entrySet()) {
                    g.writeRaw('\n');
                    writeImage(g, e.getKey(), e.getValue());
                }
                g.writeRaw('\n');
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        });
    }

    private static IllegalArgumentException nonFinite(long imageId, String field) {
        return new IllegalArgumentException("image " + imageId + ": " + field + " hold a non-finite number");
    }

    private static void writeImage(JsonGenerator g, long imageId, Proposals p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("image_id", imageId);
        g.writeArrayFieldStart("boxes");
        float[] b = p.boxes();
        for (int i = 0; i < p.size(); i++) writeArray(g, b, 4 * i, 4);
        g.writeEndArray();
        g.writeArrayFieldStart("scores");
        for (float s : p.scores()) g.writeNumber(s);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeArray(JsonGenerator g, float[] values, int from, int n) throws IOException {
        g.writeStartArray();
        for (int i = from; i < from + n; i++) g.writeNumber(values[i]);
        g.writeEndArray();
    }

    /**
     * Reads a proposals file for the images of {@code dataset}.
     *
     * @return per image id, in file order: the proposals sorted by descending score (stable, so
     *         equal scores keep the file's order), boxes in original-image pixels
     * @throws BadInputException naming the file, the entry ({@code images[3].boxes[2]}) and its line
     *                           for malformed JSON, a missing field, a number that is not finite, a box
     *                           with x2 &lt; x1 or y2 &lt; y1, boxes and scores of different lengths,
     *                           an image id the dataset does not have, or an image listed twice
     */
    public static Map<Long, Proposals> read(Path file, Dataset dataset) throws IOException {
        if (!Files.isRegularFile(file)) throw new BadInputException(file, null, "no such file");
        Map<Long, Proposals> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new BadInputException(file, null, "expected a JSON object {\"images\": [...]}");
            boolean seen = false;
            while (p.nextToken() != JsonToken.END_OBJECT) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!"images".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) throw new BadInputException(file, at("images", p), "expected an array");
                seen = true;
                for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                    ProposalsEntry entry = ProposalsEntry.read(p, file, i, dataset);
                    if (out.put(entry.imageId(), sortedByScore(entry.proposals())) != null) {
                        throw new BadInputException(file, entry.where(), "image id " + entry.imageId() + " is listed twice");
                    }
                }
            }
            if (!seen) throw new BadInputException(file, "images", "missing");
        } catch (JsonProcessingException e) {
            throw new BadInputException(file, "line " + e.getLocation().getLineNr(), "malformed JSON: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    /** A field's place for messages: its JSON path and the line it starts on. */
    static String at(String path, JsonParser p) {
        return path + " (line " + p.currentTokenLocation().getLineNr() + ")";
    }

    /** {@code p} when its scores descend already, else a copy sorted by descending score (stable). */
    static Proposals sortedByScore(Proposals p) {
        float[] s = p.scores();
        boolean sorted = true;
        for (int i = 1; i < s.length && sorted; i++) sorted = s[i] <= s[i - 1];
        if (sorted) return p;
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> s[i]).reversed());
        float[] boxes = new float[p.boxes().length];
        float[] scores = new float[s.length];
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(p.boxes(), 4 * order[k], boxes, 4 * k, 4);
            scores[k] = s[order[k]];
        }
        return new Proposals(boxes, scores);
    }

    /** The image a JSON {@code image_id} names, if the dataset has it. */
    static Optional<ImageRecord> image(JsonParser p, JsonToken t, Dataset dataset) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return Optional.empty();
            String text = p.getText();
            return dataset.image(p.getLongValue()).or(() -> dataset.imageByToken(text));
        }
        if (t == JsonToken.VALUE_STRING) return dataset.imageByToken(p.getText());
        return Optional.empty();
    }
}
