package org.rcnn4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rcnn4j.detector.Detector;

/**
 * Each kind of bad request gets its 4xx and {@code {"error": "..."}} naming what is wrong, and the
 * server goes on answering good requests: not an image, a truncated or empty one, a malformed form,
 * a body over the limit (refused from its {@code Content-Length} before any of it is read, and while
 * a chunked one streams), a wrong method, an unknown path, bad query values; and a request whose
 * detection throws gets a 500 without disturbing the next one.
 */
class BadRequestTest {
    /** Bodies up to 64 KiB: the fixture images (about 40 KB) fit, a 100 KB one does not. */
    static final long LIMIT = 64 << 10;

    static Detector detector;
    static TestServer served;
    static byte[] png;
    /** Detections after which the fake failure strikes: {@link #failingDetection} sets it. */
    static final AtomicInteger failNext = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        detector = Detector.load(TestServer.FIXTURES.resolve("faster-rcnn"));
        png = Files.readAllBytes(TestServer.IMAGES.resolve("000001.png"));
        ServerSettings s = TestServer.settings(1, 2);
        ServerSettings settings = new ServerSettings(s.host(), s.port(), s.workers(), s.queue(), LIMIT, s.defaultScoreThreshold(), 1);
        served = TestServer.start(detector, settings, (image, record, times) -> {
            switch (failNext.getAndSet(0)) {
                case 1 -> throw new IllegalStateException("a bug in one request");
                case 2 -> throw new StackOverflowError();
                default -> {
                    return detector.detect(image, record, times);
                }
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) served.close();
        if (detector != null) detector.close();
    }

    /** The answer has {@code status} and a JSON error holding each of {@code parts}; the server still detects. */
    static String assertError(HttpResponse<String> r, int status, String... parts) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = TestServer.json(r);
        String error = body.get("error").asText();
        for (String part : parts) assertTrue(error.contains(part), "'" + part + "' in: " + error);
        assertEquals(1, body.size(), "only the error: " + body);
        assertEquals(200, served.post("/v1/detect", png).statusCode(), "a good request after a bad one");
        return error;
    }

    @Test
    void notAnImage() throws Exception {
        assertError(served.post("/v1/detect", "hello, world".getBytes(StandardCharsets.UTF_8)), 400, "not an image");
    }

    @Test
    void truncatedImage() throws Exception {
        assertError(served.post("/v1/detect", Arrays.copyOf(png, png.length / 2)), 400, "truncated");
    }

    @Test
    void corruptImage() throws Exception {
        byte[] corrupt = png.clone();
        for (int i = 100; i < corrupt.length; i += 7) corrupt[i] ^= 0x5a;
        assertError(served.post("/v1/detect", corrupt), 400, "the request body");
    }

    @Test
    void emptyBody() throws Exception {
        assertError(served.post("/v1/detect", new byte[0]), 400, "empty");
    }

    @Test
    void formWithoutAFileOrWithABadFile() throws Exception {
        String boundary = "b0undary";
        byte[] noFile = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertError(served.postAsync("/v1/detect", noFile, "multipart/form-data; boundary=" + boundary).join(), 400, "no file part");
        assertError(served.postAsync("/v1/detect", noFile, "multipart/form-data").join(), 400, "boundary");
        byte[] cut = Arrays.copyOf(TestServer.multipart(boundary, "image", "x.png", png), 500);
        assertError(served.postAsync("/v1/detect", cut, "multipart/form-data; boundary=" + boundary).join(), 400, "malformed");
        assertError(served.postForm("/v1/detect", "notes.txt", "hello".getBytes(StandardCharsets.UTF_8)), 400, "'notes.txt'", "not an image");
    }

    @Test
    void tooLargeByContentLength() throws Exception {
        assertError(served.post("/v1/detect", new byte[100_000]), 413, "Content-Length 100000", String.valueOf(LIMIT));
    }

    @Test
    void tooLargeIsRefusedBeforeTheBodyIsSent() throws Exception {
        // The headers promise 100 MB and no byte of it follows: the answer cannot come from reading the body.
        try (Socket socket = new Socket("127.0.0.1", served.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/detect HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("Connection: close"), answer);
            assertTrue(answer.contains("\"error\":"), answer);
        }
    }

    @Test
    void tooLargeWhileStreamingAChunkedBody() throws Exception {
        // BodyPublishers.ofInputStream has no length: the client sends it chunked, without Content-Length.
        InputStream body = new ByteArrayInputStream(new byte[300_000]);
        HttpRequest request = HttpRequest.newBuilder(served.base.resolve("/v1/detect")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        HttpResponse<String> r = served.client.send(request, HttpResponse.BodyHandlers.ofString());
        String error = assertError(r, 413, "the request body is larger than the limit of " + LIMIT);
        assertTrue(!error.contains("Content-Length"), error);
    }

    @Test
    void bodyShorterThanItsContentLength() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", served.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/detect HTTP/1.1\r\nHost: localhost\r\nContent-Length: 40000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(png, 0, 1000);
            out.flush();
            socket.shutdownOutput();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("ended after 1000 of its 40000 bytes"), answer);
        }
        assertEquals(200, served.post("/v1/detect", png).statusCode());
    }

    @Test
    void wrongMethod() throws Exception {
        HttpResponse<String> get = served.get("/v1/detect");
        assertError(get, 405, "GET", "/v1/detect", "POST");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> post = served.post("/health", png);
        assertError(post, 405, "POST", "/health");
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        assertError(served.post("/", png), 405, "POST", "/");
    }

    @Test
    void unknownPath() throws Exception {
        assertError(served.get("/v2/detect"), 404, "/v2/detect");
        assertError(served.get("/../../etc/passwd"), 404);
        assertError(served.post("/v1/detect/", png), 404);
    }

    @Test
    void badQueryValues() throws Exception {
        assertError(served.post("/v1/detect?score_threshold=abc", png), 400, "score_threshold", "'abc'");
        assertError(served.post("/v1/detect?score_threshold=NaN", png), 400, "score_threshold", "finite");
        assertError(served.post("/v1/detect?score_threshold=", png), 400, "score_threshold");
        assertError(served.post("/v1/detect?format=xml", png), 400, "format", "'xml'", "coco");
        assertError(served.post("/v1/detect?score_treshold=0.3", png), 400, "unknown query parameter", "'score_treshold'");
        assertError(served.post("/v1/detect?format=coco&format=coco", png), 400, "twice");
    }

    @Test
    void aFailingDetectionGets500AndTheNextRequestIsServed() throws Exception {
        int logged = served.log.size();
        failNext.set(1);
        assertError(served.post("/v1/detect", png), 500, "internal error");
        failNext.set(2);
        // An Error on the only worker: the worker goes on to serve the next request (assertError's).
        assertError(served.post("/v1/detect", png), 500, "internal error");
        assertEquals(logged + 2, served.log.size(), "each internal error is logged: " + served.log);
        String line = served.log.get(logged);
        assertTrue(line.contains("POST /v1/detect") && line.contains("a bug in one request") && !line.contains("\n"), line);
    }

    /** Reads one HTTP answer: its headers, then as many bytes as their {@code Content-length} says. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the connection closed inside the headers: " + head);
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
