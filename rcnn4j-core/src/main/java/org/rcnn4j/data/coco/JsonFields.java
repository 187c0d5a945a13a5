package org.rcnn4j.data.coco;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import org.rcnn4j.io.BadInputException;

/**
 * Typed reads of one JSON value at the parser's current token, for the record being read
 * ({@code annotations[12]}): each read consumes the whole value, also when it is of the wrong type,
 * so the caller can record the error and go on with the next field.
 *
 * <p>Field paths ({@code annotations[12].bbox}) are built only when there is an error: a COCO file
 * has millions of fields.
 */
final class JsonFields {
    private final Path file;
    private String section = "";
    private int index = -1;
    /** {@link #bbox}'s output, reused: {@code x, y, w, h}. */
    final double[] box = new double[4];

    JsonFields(Path file) {
        this.file = file;
    }

    /** Moves on to record {@code index} of the top-level array {@code section}. */
    void at(String section, int index) {
        this.section = section;
        this.index = index;
    }

    /** {@code section[index].field}, or {@code section[index]} for a null field. */
    String where(String field) {
        String record = section + "[" + index + "]";
        return field == null ? record : record + "." + field;
    }

    /** An error at the parser's current token. */
    BadInputException error(JsonParser p, String field, String what) {
        return new BadInputException(file, where(field), what + located(p.currentTokenLocation(), what.endsWith(" at")));
    }

    static String located(JsonLocation loc) {
        return located(loc, false);
    }

    /** {@code " (line L, column C)"}, or {@code " line L, column C"} to finish a sentence ending in "at". */
    private static String located(JsonLocation loc, boolean bare) {
        if (loc == null) return "";
        String at = "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return bare ? " " + at : " (" + at + ")";
    }

    /** A finite JSON number. */
    double number(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType(p, field, "a number");
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) throw error(p, field, "not a finite number: " + p.getText());
        return v;
    }

    /** A whole JSON number (written as an integer, or a float with no fraction). */
    long wholeNumber(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            try {
                return p.getLongValue();
            } catch (IOException e) {
                throw error(p, field, "integer out of range: " + p.getText());
            }
        }
        double v = number(p, field);
        if (v != Math.rint(v) || Math.abs(v) > (double) (1L << 53)) {
            throw error(p, field, "not a whole number: " + p.getText());
        }
        return (long) v;
    }

    /** A whole number in {@code int} range. */
    int intNumber(JsonParser p, String field) throws IOException {
        long v = wholeNumber(p, field);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(p, field, "integer out of range: " + v);
        return (int) v;
    }

    /** A JSON string. */
    String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) throw wrongType(p, field, "a string");
        return p.getText();
    }

    /** COCO's 0/1 flags ({@code iscrowd}); JSON booleans are accepted too. */
    boolean flag(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) return t == JsonToken.VALUE_TRUE;
        long v = wholeNumber(p, field);
        if (v != 0 && v != 1) throw error(p, field, "expected 0 or 1, got " + v);
        return v == 1;
    }

    /** COCO's {@code [x, y, w, h]}: exactly 4 finite numbers, into {@link #box}. */
    void bbox(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw wrongType(p, field, "an array [x, y, w, h]");
        int n = 0;
        String bad = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                double v = p.getDoubleValue();
                if (n < 4) box[n] = v;
                if (bad == null && !Double.isFinite(v)) bad = "[" + n + "] is not a finite number: " + p.getText();
            } else {
                if (bad == null) bad = "[" + n + "] is not a number: " + describe(p);
                p.skipChildren();
            }
            n++;
        }
        if (bad != null) throw error(p, field, field + bad);
        if (n != 4) throw error(p, field, "expected 4 numbers [x, y, w, h], got " + n);
    }

    /** The current value for a message: its text, shortened, or "an array" / "an object". */
    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) return "an array";
        if (t == JsonToken.START_OBJECT) return "an object";
        String text = p.getText();
        if (t == JsonToken.VALUE_STRING) text = "\"" + text + "\"";
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private BadInputException wrongType(JsonParser p, String field, String expected) throws IOException {
        BadInputException e = error(p, field, "expected " + expected + ", got " + describe(p));
        p.skipChildren();
        return e;
    }
}
