package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.rcnn4j.detector.Detector;

/**
 * A {@link DetectionServer} on a free loopback port for a test, with a client for it. The model is
 * one of rcnn4j-core's saved-model fixtures ({@link #FIXTURES}), so no test trains one.
 */
final class TestServer implements AutoCloseable {
    /** rcnn4j-core's saved models and their images (its README says what each is); tests run in rcnn4j-cli/. */
    static final Path FIXTURES = Path.of("../rcnn4j-core/src/test/resources/models");
    static final Path IMAGES = FIXTURES.resolve("images");
    static final ObjectMapper JSON = new ObjectMapper();

    final DetectionServer server;
    final URI base;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    /** The server's log lines (internal errors). */
    final List<String> log;

    private TestServer(DetectionServer server, List<String> log) {
        this.server = server;
        this.log = log;
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /** Settings for a loopback server on a free port: 20 MiB bodies, {@code detect}'s default threshold 0.5, 1 libtorch thread. */
    static ServerSettings settings(int workers, int queue) {
        return new ServerSettings("127.0.0.1", 0, workers, queue, 20L << 20, 0.5f, 1);
    }

    static TestServer start(Detector detector, ServerSettings settings, ImageDetector detect) throws IOException {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        return new TestServer(DetectionServer.start(detector, settings, detect, log::add), log);
    }

    static TestServer start(Detector detector, ServerSettings settings) throws IOException {
        return start(detector, settings, detector::detect);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} as the raw request body. */
    HttpResponse<String> post(String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return postAsync(pathAndQuery, body, "application/octet-stream").join();
    }

    CompletableFuture<HttpResponse<String>> postAsync(String pathAndQuery, byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs one file as {@code multipart/form-data}, as a browser's form or {@code curl -F image=@FILE} does. */
    HttpResponse<String> postForm(String pathAndQuery, String fileName, byte[] content) throws IOException, InterruptedException {
        String boundary = "----rcnn4jTestBoundary7MA4YWxkTrZu0gW";
        return postAsync(pathAndQuery, multipart(boundary, "image", fileName, content), "multipart/form-data; boundary=" + boundary).join();
    }

    /** A form body with a text field and then one file part. */
    static byte[] multipart(String boundary, String field, String fileName, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Waits up to 30 s for {@code condition}, failing the test otherwise. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown(Duration.ofSeconds(30));
    }
}
