package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.cli.serve.DetectionServer;
import org.rcnn4j.cli.serve.ServerSettings;
import org.rcnn4j.detector.Detector;

/**
 * {@code rcnn4j serve} as a user runs it: bad options are one line and exit code 2 before anything
 * listens; a real process serves a detection and, on SIGTERM, runs its shutdown hook and exits.
 */
class ServeCommandTest {
    /** rcnn4j-core's saved-model fixtures (their README says what each is). */
    static final Path FIXTURES = Path.of("../rcnn4j-core/src/test/resources/models");
    static final String MODEL = FIXTURES.resolve("faster-rcnn").toString();

    @TempDir Path tmp;

    @Test
    void badOptionsAreOneLineAndExitCode2() throws Exception {
        Path missing = tmp.resolve("no-model");
        CliRun.of("serve", "--model", missing.toString(), "--port", "0").assertBadInput(missing.toString());
        CliRun.of("serve", "--model", MODEL, "--workers", "0").assertBadInput("--workers", "at least 1", "got 0");
        CliRun.of("serve", "--model", MODEL, "--queue", "-1").assertBadInput("--queue", "got -1");
        CliRun.of("serve", "--model", MODEL, "--port", "70000").assertBadInput("--port", "70000");
        CliRun.of("serve", "--model", MODEL, "--max-image-mb", "0").assertBadInput("--max-image-mb", "got 0");
        CliRun.of("serve", "--model", MODEL, "--max-image-mb", "5000").assertBadInput("--max-image-mb", "at most 2047");
        CliRun.of("serve", "--model", MODEL, "--shutdown-grace", "-1").assertBadInput("--shutdown-grace");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            CliRun.of("serve", "--model", MODEL, "--port", port).assertBadInput("--port", "127.0.0.1:" + port);
        }
    }

    @Test
    void aFastRcnnModelSearchesEachUploadAsDetectDoes() throws Exception {
        Path image = FIXTURES.resolve("images/000002.png");
        Path json = tmp.resolve("detect.json");
        CliRun detect = CliRun.of("detect", "--model", FIXTURES.resolve("fast-rcnn").toString(), "--score-threshold", "0",
                "--json", json.toString(), image.toString());
        assertEquals(0, detect.code(), detect.err());
        try (Detector detector = Detector.load(FIXTURES.resolve("fast-rcnn"))) {
            ServeCommand.searchOnEachRequest(detector);
            DetectionServer server = DetectionServer.start(detector, new ServerSettings("127.0.0.1", 0, 1, 1, 1 << 20, 0.5f, 1), line -> { });
            try {
                String boundary = "b0undary";
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"000002.png\"\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                body.writeBytes(Files.readAllBytes(image));
                body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/detect?format=coco&score_threshold=0"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                ObjectMapper mapper = new ObjectMapper();
                assertTrue(mapper.readTree(r.body()).size() > 0, r.body());
                assertEquals(mapper.readTree(json.toFile()), mapper.readTree(r.body()), "the file name 000002.png gives image id 2, as in detect");
            } finally {
                server.shutdown(Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void aServingProcessDetectsAndStopsOnSigterm() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.rcnn4j.cli.Main", "serve", "--model", MODEL, "--port", "0",
                "--workers", "1", "--shutdown-grace", "20");
        builder.environment().put("RCNN4J_THREADS", "1");
        builder.redirectError(tmp.resolve("err.txt").toFile());
        Process serve = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String banner = out.readLine();
            assertTrue(banner != null, "no banner; stderr: " + Files.readString(tmp.resolve("err.txt")));
            Matcher url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)").matcher(banner);
            assertTrue(url.find(), banner);
            assertTrue(banner.contains("1 workers x 1 libtorch threads"), banner);

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url.group(1)).resolve("/v1/detect?format=coco"))
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofFile(FIXTURES.resolve("images/000001.png"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(new ObjectMapper().readTree(r.body()).size() > 0, r.body());

            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "the process ends after SIGTERM");
            assertEquals(128 + 15, serve.exitValue(), "the JVM's exit status after SIGTERM");
            List<String> err = Files.readAllLines(tmp.resolve("err.txt"));
            assertTrue(err.contains("rcnn4j serve: shutting down; requests in flight get 20 s to finish"), String.valueOf(err));
            assertTrue(err.contains("rcnn4j serve: stopped"), String.valueOf(err));
        } finally {
            serve.destroyForcibly();
        }
    }
}
