package org.rcnn4j.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read into memory, never more than a limit: a {@code Content-Length} over the
 * limit is refused before a byte of the body is read, and a body without one (chunked) is counted
 * while it arrives and refused as soon as it passes the limit. So an upload holds at most the limit
 * in memory, however the client frames it.
 */
final class RequestBody {
    /**
     * How much of a refused body (413, 503, any error answered before the body was read), in bytes,
     * is read and thrown away before the answer: a client still sending would otherwise meet a reset
     * connection instead of the answer, as the JDK's server closes a connection with an unread body
     * once the answer is written, and a socket closed with unread bytes resets. A longer body is not
     * read (the connection closes). Tomcat's {@code maxSwallowSize} (2 MiB) is the same idea.
     */
    static final long DISCARD_BYTES = 4L << 20;

    private static final int CHUNK = 64 * 1024;

    private RequestBody() {}

    /** The request's {@code Content-Length}, or -1 when it has none (a chunked body). */
    static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        // The JDK's server has already refused a malformed or negative value with its own 400.
        return value == null ? -1 : Long.parseLong(value.trim());
    }

    /**
     * The whole body, at most {@code limit} bytes.
     *
     * @param limit the most bytes accepted, at most {@code Integer.MAX_VALUE - 8} (a Java array)
     * @throws HttpError 413 when the body is larger than {@code limit}; 400 when it ends before its {@code Content-Length}
     */
    static byte[] read(HttpExchange exchange, long limit) throws IOException {
        long declared = declaredLength(exchange);
        if (declared > limit) throw HttpError.tooLarge("the request body (Content-Length " + declared + ")", limit);
        InputStream in = exchange.getRequestBody();
        if (declared >= 0) {
            byte[] body = new byte[(int) declared];
            int got = 0;
            try {
                for (int n; got < body.length && (n = in.read(body, got, body.length - got)) != -1; ) got += n;
            } catch (IOException e) {
                // The JDK's server reports a connection closed before Content-Length bytes as an IOException.
                throw endedEarly(got, declared);
            }
            if (got < body.length) throw endedEarly(got, declared);
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) throw HttpError.tooLarge("the request body", limit);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static HttpError endedEarly(int got, long declared) {
        return HttpError.badRequest("the request body ended after " + got + " of its " + declared + " bytes (Content-Length)");
    }

    /**
     * Reads what is left of the body, up to {@link #DISCARD_BYTES}, and drops it; nothing when the
     * body is known to be longer (the connection then closes). Errors of a client gone away are ignored.
     */
    static void discardRest(HttpExchange exchange) {
        if (declaredLength(exchange) > DISCARD_BYTES) return;
        byte[] buffer = new byte[CHUNK];
        long left = DISCARD_BYTES;
        try {
            InputStream in = exchange.getRequestBody();
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1; ) left -= n;
        } catch (IOException e) {
            // The client closed its side: nothing more to read.
        }
    }
}
