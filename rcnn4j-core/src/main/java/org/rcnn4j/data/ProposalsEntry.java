package org.rcnn4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.io.BadInputException;

/**
 * One checked {@code {"image_id", "boxes", "scores"}} entry of a {@link ProposalsFile}, read from
 * the stream; every error names the entry ({@code images[3]}), the field and the line.
 *
 * @param imageId   the dataset's id of the image
 * @param proposals R boxes (original-image pixels) and R scores, in file order
 * @param where     the entry's place, for later messages
 */
record ProposalsEntry(long imageId, Proposals proposals, String where) {

    /** Reads the entry whose START_OBJECT the parser is on; leaves the parser on its END_OBJECT. */
    static ProposalsEntry read(JsonParser p, Path file, int index, Dataset dataset) throws IOException {
        String entry = "images[" + index + "]";
        String where = ProposalsFile.at(entry, p);
        if (p.currentToken() != JsonToken.START_OBJECT) throw new BadInputException(file, where, "expected an object");
        ImageRecord image = null;
        float[] boxes = null;
        float[] scores = null;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            String at = ProposalsFile.at(entry + "." + field, p);
            switch (field) {
                case "image_id" -> image = ProposalsFile.image(p, t, dataset)
                        .orElseThrow(() -> new BadInputException(file, at, "unknown image id " + text(p)));
                case "boxes" -> boxes = boxes(p, t, file, entry + ".boxes");
                case "scores" -> scores = scores(p, t, file, entry + ".scores");
                default -> p.skipChildren();
            }
        }
        if (image == null) throw new BadInputException(file, where, "missing field image_id");
        if (boxes == null) throw new BadInputException(file, where, "missing field boxes");
        if (scores == null) throw new BadInputException(file, where, "missing field scores");
        if (boxes.length / 4 != scores.length) {
            throw new BadInputException(file, where, boxes.length / 4 + " boxes but " + scores.length + " scores");
        }
        return new ProposalsEntry(image.id(), new Proposals(boxes, scores), where);
    }

    /** {@code [[x1, y1, x2, y2], ...]} with finite numbers, {@code x1 <= x2} and {@code y1 <= y2}. */
    private static float[] boxes(JsonParser p, JsonToken t, Path file, String path) throws IOException {
        if (t != JsonToken.START_ARRAY) throw new BadInputException(file, ProposalsFile.at(path, p), "expected an array of [x1, y1, x2, y2]");
        float[] out = new float[64];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String box = path + "[" + n + "]";
            String at = ProposalsFile.at(box, p);
            if (t != JsonToken.START_ARRAY) throw new BadInputException(file, at, "expected an array [x1, y1, x2, y2]");
            if (out.length < 4 * n + 4) out = Arrays.copyOf(out, 2 * out.length);
            int k = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (k == 4) throw new BadInputException(file, at, "more than 4 numbers; expected [x1, y1, x2, y2]");
                out[4 * n + k] = finite(p, t, file, box + "[" + k + "]");
                k++;
            }
            if (k < 4) throw new BadInputException(file, at, k + " numbers; expected [x1, y1, x2, y2]");
            float x1 = out[4 * n], y1 = out[4 * n + 1], x2 = out[4 * n + 2], y2 = out[4 * n + 3];
            if (x2 < x1) throw new BadInputException(file, at, "x2 < x1 (" + x2 + " < " + x1 + ")");
            if (y2 < y1) throw new BadInputException(file, at, "y2 < y1 (" + y2 + " < " + y1 + ")");
            n++;
        }
        return Arrays.copyOf(out, 4 * n);
    }

    /** {@code [s, ...]} with finite numbers. */
    private static float[] scores(JsonParser p, JsonToken t, Path file, String path) throws IOException {
        if (t != JsonToken.START_ARRAY) throw new BadInputException(file, ProposalsFile.at(path, p), "expected an array of numbers");
        float[] out = new float[64];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (out.length == n) out = Arrays.copyOf(out, 2 * n);
            out[n] = finite(p, t, file, path + "[" + n + "]");
            n++;
        }
        return Arrays.copyOf(out, n);
    }

    /** A number that is finite also as a float. */
    private static float finite(JsonParser p, JsonToken t, Path file, String path) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadInputException(file, ProposalsFile.at(path, p), "not a number");
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
            throw new BadInputException(file, ProposalsFile.at(path, p), "not a finite number: " + p.getText());
        }
        return (float) v;
    }

    private static String text(JsonParser p) {
        try {
            return p.getText();
        } catch (IOException e) {
            return "?";
        }
    }
}
