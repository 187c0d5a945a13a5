package org.rcnn4j.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one file of a {@code multipart/form-data} body (RFC 7578), as a browser's file input or
 * {@code curl -F image=@photo.jpg} sends it. A file part is a part whose {@code Content-Disposition}
 * has a {@code filename}; other fields are ignored. Only what an upload needs is parsed: parts and
 * their {@code Content-Disposition}, no nested multiparts or transfer encodings (RFC 7578 §4.7
 * deprecates {@code Content-Transfer-Encoding}).
 */
final class MultipartForm {
    /** RFC 2046 §5.1.1: a boundary has 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {}

    /**
     * A file part: the form field, the file name the client gave (made printable, for messages and
     * the results' image id) and the bytes.
     */
    record FilePart(String field, String fileName, byte[] content) {}

    /** Whether a {@code Content-Type} header is {@code multipart/form-data}. */
    static boolean isForm(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * The single file part of {@code body}.
     *
     * @param contentType the request's {@code Content-Type}, {@code multipart/form-data; boundary=...}
     * @throws HttpError 400 when the boundary is missing, the body is malformed, or it holds no or several file parts
     */
    static FilePart onlyFile(String contentType, byte[] body) {
        byte[] delimiter = ("--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        List<FilePart> files = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) throw HttpError.badRequest("malformed multipart/form-data body: no part starts with its boundary");
        while (true) {
            int after = at + delimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) break;
            int headersStart = skipLinePadding(body, after);
            int headersEnd = indexOf(body, HEADERS_END, headersStart);
            if (headersEnd < 0) throw HttpError.badRequest("malformed multipart/form-data body: a part's headers do not end");
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + HEADERS_END.length;
            int next = nextDelimiter(body, concat(CRLF, delimiter), contentStart);
            if (next < 0) throw HttpError.badRequest("malformed multipart/form-data body: it ends inside a part (no closing boundary)");
            String[] disposition = disposition(headers);
            if (disposition[1] != null) files.add(new FilePart(disposition[0], disposition[1], Arrays.copyOfRange(body, contentStart, next)));
            at = next + CRLF.length;
        }
        if (files.isEmpty()) {
            throw HttpError.badRequest("the multipart/form-data body has no file part; send the image as a file, e.g. curl -F image=@photo.jpg");
        }
        if (files.size() > 1) throw HttpError.badRequest("the multipart/form-data body has " + files.size() + " file parts; send one image per request");
        return files.get(0);
    }

    /** The {@code boundary} parameter of a multipart {@code Content-Type}, unquoted. */
    static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            int eq = parameter.indexOf('=');
            if (eq < 0 || !parameter.substring(0, eq).trim().equalsIgnoreCase("boundary")) continue;
            String value = unquote(parameter.substring(eq + 1).trim());
            if (value.isEmpty() || value.length() > MAX_BOUNDARY) {
                throw HttpError.badRequest("Content-Type: a multipart boundary has 1 to " + MAX_BOUNDARY + " characters, got " + value.length());
            }
            return value;
        }
        throw HttpError.badRequest("Content-Type: multipart/form-data without a boundary parameter");
    }

    /** {@code [name, filename]} of a part's {@code Content-Disposition}; either null when absent. */
    private static String[] disposition(String headers) {
        String[] result = new String[2];
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) continue;
            for (String parameter : splitParameters(line.substring(colon + 1))) {
                int eq = parameter.indexOf('=');
                if (eq < 0) continue;
                String key = parameter.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = unquote(parameter.substring(eq + 1).trim());
                if (key.equals("name")) result[0] = value;
                else if (key.equals("filename")) result[1] = printable(value);
            }
        }
        return result;
    }

    /** {@code a; b="x;y"; c} → {@code [a, b="x;y", c]}: semicolons inside quotes belong to the value. */
    private static List<String> splitParameters(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) quoted = !quoted;
            if (c == ';' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    /** A client's file name fit for a one-line message: control characters dropped, at most 100 characters. */
    private static String printable(String name) {
        String clean = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    /**
     * Where the next {@code CRLF--boundary} starts that is a delimiter line: followed by {@code --}
     * (the last) or by optional padding and a line break. Content that merely has the boundary's text
     * at a line start ({@code --XyZ-not-it}) stays content; -1 when there is none.
     */
    private static int nextDelimiter(byte[] body, byte[] crlfDelimiter, int from) {
        for (int at = indexOf(body, crlfDelimiter, from); at >= 0; at = indexOf(body, crlfDelimiter, at + 1)) {
            int after = at + crlfDelimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) return at;
            while (after < body.length && (body[after] == ' ' || body[after] == '\t')) after++;
            if (startsWith(body, after, CRLF)) return at;
        }
        return -1;
    }

    /** After a delimiter: optional spaces or tabs (RFC 2046's transport padding), then the line break. */
    private static int skipLinePadding(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) i++;
        if (!startsWith(body, i, CRLF)) throw HttpError.badRequest("malformed multipart/form-data body: no line break after a boundary");
        return i + CRLF.length;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at + prefix.length > body.length) return false;
        for (int i = 0; i < prefix.length; i++) if (body[at + i] != prefix[i]) return false;
        return true;
    }

    private static int indexOf(byte[] body, byte[] pattern, int from) {
        for (int i = from; i + pattern.length <= body.length; i++) {
            if (body[i] == pattern[0] && startsWith(body, i, pattern)) return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
