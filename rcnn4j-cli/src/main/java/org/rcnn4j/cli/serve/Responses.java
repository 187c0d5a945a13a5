package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes whole responses with a known length: JSON documents, the {@code {"error"}} body of an {@link HttpError}, bytes. */
final class Responses {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json; charset=utf-8";

    private Responses() {}

    /** Sends {@code body} as JSON with {@code status}. */
    static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        bytes(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    /** Sends {@code {"error": message}} with the error's status and headers. */
    static void error(HttpExchange exchange, HttpError error) throws IOException {
        error.headers().forEach(exchange.getResponseHeaders()::set);
        if (error.closesConnection()) exchange.getResponseHeaders().set("Connection", "close");
        json(exchange, error.status(), JSON.createObjectNode().put("error", error.getMessage()));
    }

    /** Sends {@code body} with a {@code Content-Length}, so that the connection can serve the client's next request. */
    static void bytes(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length == 0) return;
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** UTF-8 text. */
    static void text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        bytes(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
