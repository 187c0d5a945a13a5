package org.rcnn4j.cli.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The query of {@code POST /v1/detect}: {@code score_threshold} (keep detections scoring at least
 * this; the server's default is {@code detect}'s) and {@code format} ({@code detections}, the
 * default, or {@code coco}). An unknown or repeated parameter is an error too, so that a misspelt
 * {@code score_treshold} is not silently ignored.
 *
 * @param scoreThreshold the least score kept
 * @param format         the response's shape
 */
record DetectQuery(float scoreThreshold, Format format) {
    /** The response shapes: the server's own JSON, or COCO results rows as {@code detect --json} writes them. */
    enum Format {
        DETECTIONS, COCO;

        String parameterValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses a raw (still percent-encoded) query; null or empty gives the defaults.
     *
     * @throws HttpError 400 naming the parameter at fault
     */
    static DetectQuery parse(String rawQuery, float defaultThreshold) {
        float threshold = defaultThreshold;
        Format format = Format.DETECTIONS;
        Set<String> seen = new HashSet<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!seen.add(name)) throw HttpError.badRequest(quoted(name, 40) + " is given twice");
            switch (name) {
                case "score_threshold" -> threshold = threshold(value);
                case "format" -> format = format(value);
                default -> throw HttpError.badRequest("unknown query parameter " + quoted(name, 40) + "; expected score_threshold or format");
            }
        }
        return new DetectQuery(threshold, format);
    }

    private static float threshold(String value) {
        float t;
        try {
            t = Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            t = Float.NaN;
        }
        if (!Float.isFinite(t)) throw HttpError.badRequest("score_threshold: expected a finite number, got " + quoted(value, 40));
        return t;
    }

    private static Format format(String value) {
        for (Format f : Format.values()) if (f.parameterValue().equals(value)) return f;
        throw HttpError.badRequest("format: expected detections or coco, got " + quoted(value, 40));
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed query: " + e.getMessage());
        }
    }

    /** {@code 'value'} for a message, cut to {@code max} characters. */
    private static String quoted(String value, int max) {
        return "'" + (value.length() > max ? value.substring(0, max) + "…" : value) + "'";
    }
}
