package org.rcnn4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.cli.CliRun;
import org.rcnn4j.detector.Detector;

/**
 * The service end to end on the {@code faster-rcnn} saved-model fixture: what {@code POST /v1/detect}
 * answers is what {@code detect --json} writes for the same images, in both response formats and
 * both upload framings, also with several requests at once; and the model, health, readiness and
 * metrics endpoints.
 */
class DetectionServerTest {
    static final Path MODEL = TestServer.FIXTURES.resolve("faster-rcnn");

    @TempDir static Path tmp;
    static Detector detector;
    /** {@code detect --score-threshold 0 --json} of the fixture images with today's build: rows per image id. */
    static List<List<JsonNode>> reference;
    static List<Path> images;
    static TestServer served;

    @BeforeAll
    static void start() throws Exception {
        Path json = tmp.resolve("detect.json");
        CliRun run = CliRun.of("detect", "--model", MODEL.toString(), "--score-threshold", "0", "--json", json.toString(),
                TestServer.IMAGES.toString());
        assertEquals(0, run.code(), run.err());
        try (var files = Files.list(TestServer.IMAGES)) {
            images = files.sorted().toList();
        }
        reference = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) reference.add(new ArrayList<>());
        for (JsonNode row : TestServer.JSON.readTree(json.toFile())) reference.get(row.get("image_id").asInt() - 1).add(row);
        assertEquals(4, images.size());
        assertTrue(reference.stream().allMatch(rows -> !rows.isEmpty()), "every fixture image has detections at threshold 0");

        detector = Detector.load(MODEL);
        served = TestServer.start(detector, TestServer.settings(2, 4));
    }

    @AfterAll
    static void stop() throws Exception {
        if (served != null) served.close();
        if (detector != null) detector.close();
    }

    @Test
    void cocoFormatEqualsDetectJson() throws Exception {
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            HttpResponse<String> r = served.postForm("/v1/detect?format=coco&score_threshold=0", image.getFileName().toString(),
                    Files.readAllBytes(image));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            // The file name 00000k.png gives image id k, as detect --json does for the same file.
            assertEquals(TestServer.JSON.valueToTree(reference.get(i)), TestServer.json(r), image.toString());
        }
    }

    @Test
    void detectionsEqualDetectJsonForRawAndMultipartBodies() throws Exception {
        for (int i = 0; i < images.size(); i++) {
            byte[] bytes = Files.readAllBytes(images.get(i));
            JsonNode raw = TestServer.json(served.post("/v1/detect?score_threshold=0", bytes));
            JsonNode form = TestServer.json(served.postForm("/v1/detect?score_threshold=0", "photo.png", bytes));
            assertEquals(raw.get("detections"), form.get("detections"), "the framing of the upload changes nothing");
            assertEquals(128, raw.get("image").get("width").asInt());
            assertEquals(128, raw.get("image").get("height").asInt());
            assertSameDetections(reference.get(i), raw.get("detections"), images.get(i).toString());
            for (String stage : List.of("read", "queue", "decode", "total")) {
                assertTrue(raw.get("timing_ms").get(stage).asDouble() >= 0, stage + " in " + raw.get("timing_ms"));
            }
            assertTrue(raw.get("timing_ms").get("total").asDouble() > 0);
        }
    }

    @Test
    void scoreThresholdKeepsTheDetectionsScoringAtLeastIt() throws Exception {
        byte[] bytes = Files.readAllBytes(images.get(0));
        List<JsonNode> rows = reference.get(0);
        // A threshold between two reference scores: exactly the rows above it are kept.
        float cut = (rows.get(1).get("score").floatValue() + rows.get(2).get("score").floatValue()) / 2;
        JsonNode kept = TestServer.json(served.post("/v1/detect?score_threshold=" + cut, bytes)).get("detections");
        assertSameDetections(rows.subList(0, 2), kept, "threshold " + cut);
        long atDefault = rows.stream().filter(r -> r.get("score").floatValue() >= 0.5f).count();
        assertEquals(atDefault, TestServer.json(served.post("/v1/detect", bytes)).get("detections").size(), "the default threshold is detect's 0.5");
    }

    @Test
    void concurrentRequestsGetTheirOwnImagesDetections() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        // As many as the server admits (2 workers + queue 4): none is refused.
        for (int k = 0; k < 6; k++) {
            pending.add(served.postAsync("/v1/detect?score_threshold=0", Files.readAllBytes(images.get(k % images.size())), "image/png"));
        }
        for (int k = 0; k < pending.size(); k++) {
            HttpResponse<String> r = pending.get(k).join();
            assertEquals(200, r.statusCode(), r.body());
            assertSameDetections(reference.get(k % images.size()), TestServer.json(r).get("detections"), "request " + k);
        }
    }

    @Test
    void modelHealthAndReady() throws Exception {
        JsonNode model = TestServer.json(served.get("/v1/model"));
        assertEquals("faster-rcnn", model.get("detector").asText());
        assertEquals(detector.categories().size(), model.get("classes").size());
        assertEquals(detector.categories().get(0).name(), model.get("classes").get(0).get("name").asText());
        assertEquals("tiny", model.get("config").get("backbone").asText());
        assertEquals(0.5, model.get("default_score_threshold").asDouble(), 1e-9);
        assertEquals(2, model.get("serving").get("workers").asInt());
        assertEquals(200, served.get("/health").statusCode());
        HttpResponse<String> ready = served.get("/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("ready", TestServer.json(ready).get("status").asText());
    }

    @Test
    void metricsCountRequestsAndReportMemory() throws Exception {
        String before = served.get("/metrics").body();
        assertEquals(200, served.post("/v1/detect", Files.readAllBytes(images.get(0))).statusCode());
        assertEquals(400, served.post("/v1/detect", new byte[] {1, 2, 3}).statusCode());
        HttpResponse<String> r = served.get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String after = r.body();
        assertEquals(value(before, "rcnn4j_http_requests_total{handler=\"detect\",code=\"200\"}") + 1,
                value(after, "rcnn4j_http_requests_total{handler=\"detect\",code=\"200\"}"));
        assertEquals(value(before, "rcnn4j_http_requests_total{handler=\"detect\",code=\"400\"}") + 1,
                value(after, "rcnn4j_http_requests_total{handler=\"detect\",code=\"400\"}"));
        double count = value(after, "rcnn4j_http_request_duration_seconds_count{handler=\"detect\"}");
        assertEquals(count, value(after, "rcnn4j_http_request_duration_seconds_bucket{handler=\"detect\",le=\"+Inf\"}"));
        assertTrue(value(after, "rcnn4j_http_request_duration_seconds_bucket{handler=\"detect\",le=\"0.005\"}") <= count);
        // This request is the one in flight while the text is written.
        assertEquals(1, value(after, "rcnn4j_http_requests_in_flight"));
        assertEquals(0, value(after, "rcnn4j_detect_queue_depth"));
        assertEquals(4, value(after, "rcnn4j_detect_queue_capacity"));
        double rss = value(after, "process_resident_memory_bytes");
        assertTrue(rss > 50e6, "the JVM and libtorch take more than 50 MB: " + rss);
        double committed = value(after, "rcnn4j_jvm_heap_committed_bytes");
        assertTrue(committed > 0 && committed < rss, "the heap is a part of the resident memory: " + committed);
        assertTrue(value(after, "rcnn4j_jvm_heap_used_bytes") <= committed);
    }

    /** The value of a sample line {@code name value} in Prometheus text; 0 when there is none yet. */
    static double value(String metrics, String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * The server's detections are the reference's COCO rows: the same classes and scores in the same
     * order, and boxes [x1, y1, x2, y2] equal to the rows' [x, y, w, h] (x2 = x + w, as exact as
     * the rows' widths, which are written as differences of floats).
     */
    static void assertSameDetections(List<JsonNode> rows, JsonNode detections, String what) {
        assertEquals(rows.size(), detections.size(), what + ": " + detections);
        for (int k = 0; k < rows.size(); k++) {
            JsonNode row = rows.get(k);
            JsonNode d = detections.get(k);
            assertEquals(row.get("category_id").asInt(), d.get("category_id").asInt(), what);
            assertEquals(row.get("score").floatValue(), d.get("score").floatValue(), what);
            ArrayNode bbox = (ArrayNode) row.get("bbox");
            JsonNode box = d.get("box");
            assertEquals(bbox.get(0).floatValue(), box.get(0).floatValue(), what);
            assertEquals(bbox.get(1).floatValue(), box.get(1).floatValue(), what);
            assertEquals(bbox.get(0).doubleValue() + bbox.get(2).doubleValue(), box.get(2).doubleValue(), 1e-4, what);
            assertEquals(bbox.get(1).doubleValue() + bbox.get(3).doubleValue(), box.get(3).doubleValue(), 1e-4, what);
            assertEquals(detector.categoryName(row.get("category_id").asInt()), d.get("label").asText(), what);
        }
    }
}
