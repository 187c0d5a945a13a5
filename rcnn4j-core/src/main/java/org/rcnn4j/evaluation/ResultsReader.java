package org.rcnn4j.evaluation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

/**
 * Reads detection results, in either of the two formats {@code eval --dt} takes:
 * <ul>
 *   <li>a COCO results JSON file: {@code [{"image_id", "category_id", "bbox": [x, y, w, h], "score"}, ...]},
 *       read as a stream so that large files need no tree in memory. Other fields are skipped;</li>
 *   <li>a directory of VOC devkit files {@code <comp>_det_<split>_<class>.txt} (or one such file),
 *       see {@link VocResultFiles}.</li>
 * </ul>
 *
 * <p>Detections are taken as they are: a box may reach past its image, scores need not be in
 * [0, 1]. Only malformed entries are errors, reported as {@link BadInputException} naming the file
 * and the entry or line and the field: a missing field, a number that is not finite, a negative
 * width or height, an image or category the ground truth does not have.
 *
 * <p>Image ids: a JSON number is first looked up as {@link ImageRecord#id()}, then like a string;
 * a string (and a VOC line's first field) by {@link Dataset#imageByToken}: the image's name, then
 * its numeric id.
 */
public final class ResultsReader {
    private ResultsReader() {}

    /** Reads results; a VOC directory must then hold files of one split only. */
    public static List<Detection> read(Path results, Dataset gt) throws IOException {
        return read(results, gt, null);
    }

    /**
     * Reads results.
     *
     * @param results a COCO results JSON file, a VOC results directory, or one VOC results file
     * @param gt      the ground truth the results refer to (images and categories)
     * @param split   for VOC results, the split in the file names; null to infer it
     * @return detections with continuous boxes, in file order (VOC: by class order, then line order)
     * @throws BadInputException on a missing file or a malformed entry
     */
    public static List<Detection> read(Path results, Dataset gt, String split) throws IOException {
        if (Files.isDirectory(results)) return VocResultFiles.readDirectory(results, gt, split);
        if (!Files.isRegularFile(results)) throw new BadInputException(results, null, "no such file or directory");
        if (results.getFileName().toString().endsWith(".txt")) return VocResultFiles.readFile(results, gt, split);
        return readCoco(results, gt);
    }

    /** Reads a COCO results JSON file. */
    public static List<Detection> readCoco(Path file, Dataset gt) throws IOException {
        JsonFactory factory = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        List<Detection> out = new ArrayList<>();
        try (JsonParser p = factory.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new BadInputException(file, null, "expected a JSON array of detections");
            }
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                out.add(readEntry(p, file, i, gt));
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException(file, "line " + e.getLocation().getLineNr(),
                    "malformed JSON: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    /** Reads one {@code {...}} entry; the parser is on its START_OBJECT. */
    private static Detection readEntry(JsonParser p, Path file, int i, Dataset gt) throws IOException {
        String where = "[" + i + "]";
        int line = p.currentLocation().getLineNr();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new BadInputException(file, at(where, line), "expected an object");
        }
        ImageRecord image = null;
        Integer category = null;
        double[] bbox = null;
        Double score = null;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            int fieldLine = p.currentLocation().getLineNr();
            String at = at(where + "." + field, fieldLine);
            switch (field) {
                case "image_id" -> image = image(p, t, gt, file, at);
                case "category_id" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                        throw new BadInputException(file, at, "not an integer category id");
                    }
                    category = p.getIntValue();
                    if (gt.classIndex(category) < 0) {
                        throw new BadInputException(file, at, "unknown category id " + category);
                    }
                }
                case "bbox" -> bbox = bbox(p, t, file, where + ".bbox", fieldLine);
                case "score" -> score = finite(p, t, file, at);
                default -> p.skipChildren();
            }
        }
        String at = at(where, line);
        if (image == null) throw new BadInputException(file, at, "missing field image_id");
        if (category == null) throw new BadInputException(file, at, "missing field category_id");
        if (bbox == null) throw new BadInputException(file, at, "missing field bbox");
        if (score == null) throw new BadInputException(file, at, "missing field score");
        float x1 = (float) bbox[0];
        float y1 = (float) bbox[1];
        float x2 = (float) ((double) x1 + bbox[2]);
        float y2 = (float) ((double) y1 + bbox[3]);
        if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
            throw new BadInputException(file, at(where + ".bbox", line), "box out of float range");
        }
        return new Detection(image.id(), category, x1, y1, x2, y2, score.floatValue());
    }

    private static ImageRecord image(JsonParser p, JsonToken t, Dataset gt, Path file, String at) throws IOException {
        Optional<ImageRecord> found;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new BadInputException(file, at, "unknown image id " + p.getText());
            }
            found = gt.image(p.getLongValue()).or(() -> gt.imageByToken(textOf(p)));
        } else if (t == JsonToken.VALUE_STRING) {
            found = gt.imageByToken(p.getText());
        } else {
            throw new BadInputException(file, at, "not an integer or string image id");
        }
        return found.orElseThrow(() -> new BadInputException(file, at, "unknown image id " + textOf(p)));
    }

    private static String textOf(JsonParser p) {
        try {
            return p.getText();
        } catch (IOException e) {
            return "?";
        }
    }

    /** A field's place: its JSON path and the line it starts on. */
    private static String at(String path, int line) {
        return path + " (line " + line + ")";
    }

    private static double[] bbox(JsonParser p, JsonToken t, Path file, String path, int line) throws IOException {
        String at = at(path, line);
        if (t != JsonToken.START_ARRAY) throw new BadInputException(file, at, "expected an array [x, y, w, h]");
        double[] v = new double[4];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == 4) throw new BadInputException(file, at, "more than 4 numbers; expected [x, y, w, h]");
            v[n] = finite(p, t, file, at(path + "[" + n + "]", p.currentLocation().getLineNr()));
            n++;
        }
        if (n < 4) throw new BadInputException(file, at, n + " numbers; expected [x, y, w, h]");
        if (v[2] < 0) throw new BadInputException(file, at, "negative width " + v[2]);
        if (v[3] < 0) throw new BadInputException(file, at, "negative height " + v[3]);
        return v;
    }

    private static double finite(JsonParser p, JsonToken t, Path file, String at) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadInputException(file, at, "not a number");
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
            throw new BadInputException(file, at, "not a finite number: " + p.getText());
        }
        return v;
    }
}
