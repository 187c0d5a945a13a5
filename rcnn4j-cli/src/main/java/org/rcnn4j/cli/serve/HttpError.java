package org.rcnn4j.cli.serve;

import java.util.Map;

/**
 * A request the server answers with an error status and {@code {"error": "..."}}: the status, one
 * line saying what is wrong, and the headers that status needs ({@code Allow} for 405,
 * {@code Retry-After} for 503).
 *
 * <p>{@link #closesConnection()} asks the client to open a new connection for its next request:
 * the server may not have read this request's whole body (a 413 decided from
 * {@code Content-Length}; a refused body longer than {@link RequestBody#DISCARD_BYTES}), so the
 * connection may not be at a request boundary.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;
    private final boolean closesConnection;

    private HttpError(int status, String message, Map<String, String> headers, boolean closesConnection) {
        super(message.replace('\n', ' ').replace('\r', ' '), null, false, false);
        this.status = status;
        this.headers = headers;
        this.closesConnection = closesConnection;
    }

    /** 400: the request is malformed (a query value, the body, the image in it). */
    static HttpError badRequest(String message) {
        return new HttpError(400, message, Map.of(), false);
    }

    /** 404: nothing is served at {@code path}. */
    static HttpError notFound(String path) {
        return new HttpError(404, "no such path: " + path, Map.of(), false);
    }

    /** 405 with {@code Allow}: the path is served, but not for {@code method}. */
    static HttpError methodNotAllowed(String method, String path, String allow) {
        return new HttpError(405, method + " is not allowed on " + path + "; use " + allow, Map.of("Allow", allow), false);
    }

    /** 413: the body is larger than {@code limitBytes}; the rest of it is not read. */
    static HttpError tooLarge(String what, long limitBytes) {
        return new HttpError(413, what + " is larger than the limit of " + limitBytes + " bytes (--max-image-mb)", Map.of(), true);
    }

    /** 503 with {@code Retry-After}: no room now (a full queue, or the server shutting down). */
    static HttpError unavailable(String message, long retryAfterSeconds) {
        return new HttpError(503, message, Map.of("Retry-After", Long.toString(retryAfterSeconds)), true);
    }

    /** 500: a failure of the server, not of the request; the cause goes to the server's log, not to the client. */
    static HttpError internal() {
        return new HttpError(500, "internal error; the server's log has the cause", Map.of(), false);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean closesConnection() {
        return closesConnection;
    }
}
