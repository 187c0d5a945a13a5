package org.rcnn4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.detector.Detector;

/**
 * The web page at {@code /} in a real browser (Debian's Chromium, headless; skipped where it is not
 * installed): choosing an image draws the detections {@code POST /v1/detect} gives for it, in the
 * colours of their classes; the score slider filters them without a new request; a file that is
 * not an image shows the server's error. The screenshot goes to target/page.png; with
 * {@code -Drcnn4j.pageScreenshot=PATH} it goes to PATH instead (bench/results/serve/page.png is one,
 * kept in the repository), so that a test run leaves tracked files as they were.
 */
class PageInBrowserTest {
    static final Path SCREENSHOT = Path.of(System.getProperty("rcnn4j.pageScreenshot", "target/page.png"));

    @TempDir Path tmp;

    @Test
    void drawsTheDetectionsAndFiltersThemWithTheSlider() throws Exception {
        assumeTrue(Files.isExecutable(HeadlessChromium.BINARY), "Debian's chromium is not installed (.ci/run installs it)");
        Path image = TestServer.IMAGES.resolve("000003.png");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not an image", StandardCharsets.UTF_8);
        try (Detector detector = Detector.load(TestServer.FIXTURES.resolve("faster-rcnn"));
                TestServer served = TestServer.start(detector, TestServer.settings(1, 2));
                HeadlessChromium chromium = HeadlessChromium.start(tmp.resolve("profile"), 1000, 1000)) {
            JsonNode all = TestServer.json(served.post("/v1/detect?score_threshold=0", Files.readAllBytes(image))).get("detections");
            assertTrue(all.size() > 3, "enough detections to filter: " + all.size());

            chromium.navigate(served.base.resolve("/"));
            // The model's description sets the slider to the default threshold, 0.5.
            chromium.waitFor("document.getElementById('model').textContent", v -> v.asText().startsWith("faster-rcnn"), Duration.ofSeconds(30));
            assertEquals(0.5, chromium.evaluate("window.rcnn4jPage.threshold").asDouble(), 1e-9);

            chromium.chooseFiles("#file", List.of(image));
            chromium.waitFor("window.rcnn4jPage.state", v -> !v.asText().equals("idle") && !v.asText().equals("detecting"),
                    Duration.ofSeconds(120));
            assertEquals("done", chromium.evaluate("window.rcnn4jPage.state").asText(), () -> {
                try {
                    return chromium.evaluate("window.rcnn4jPage.error").asText() + "; server: "
                            + served.get("/metrics").body().lines().filter(l -> l.startsWith("rcnn4j_http_requests_total")).toList() + served.log;
                } catch (Exception e) {
                    return e.toString();
                }
            });
            assertSameJson(all, chromium.evaluate("window.rcnn4jPage.detections"), "the page holds the server's answer");
            assertDrawn(chromium, all, 0.5);
            assertTrue(chromium.evaluate("document.getElementById('status').textContent").asText().contains("ms in the server"));
            Files.createDirectories(SCREENSHOT.getParent());
            Files.write(SCREENSHOT, chromium.screenshot());

            double before = DetectionServerTest.value(served.get("/metrics").body(), "rcnn4j_http_request_duration_seconds_count{handler=\"detect\"}");
            String colours = classColourPixels(all);
            long drawnColour = chromium.evaluate(colours).asLong();
            setSlider(chromium, 0.2);
            assertDrawn(chromium, all, 0.2);
            setSlider(chromium, 1);
            assertDrawn(chromium, all, 1);
            long noBoxColour = chromium.evaluate(colours).asLong();
            assertTrue(noBoxColour < drawnColour, "boxes in the classes' colours are drawn, and taken away: " + drawnColour + " then " + noBoxColour);
            double after = DetectionServerTest.value(served.get("/metrics").body(), "rcnn4j_http_request_duration_seconds_count{handler=\"detect\"}");
            assertEquals(before, after, "the slider makes no request");

            // Dropping an image works as choosing one: the slider's 1 keeps nothing of it drawn.
            chromium.dropFiles("#drop", List.of(TestServer.IMAGES.resolve("000004.png")));
            chromium.waitFor("document.getElementById('status').textContent", v -> v.asText().startsWith("000004.png:"), Duration.ofSeconds(120));
            assertEquals("done", chromium.evaluate("window.rcnn4jPage.state").asText());
            assertSameJson(TestServer.json(served.post("/v1/detect?score_threshold=0", Files.readAllBytes(TestServer.IMAGES.resolve("000004.png"))))
                    .get("detections"), chromium.evaluate("window.rcnn4jPage.detections"), "the dropped image's detections");
            assertDrawn(chromium, chromium.evaluate("window.rcnn4jPage.detections"), 1);

            chromium.chooseFiles("#file", List.of(text));
            JsonNode state = chromium.waitFor("window.rcnn4jPage.state", v -> v.asText().equals("error"), Duration.ofSeconds(60));
            assertEquals("error", state.asText());
            assertTrue(chromium.evaluate("document.getElementById('status').textContent").asText().contains("not an image"));
        }
    }

    private static void setSlider(HeadlessChromium chromium, double value) throws Exception {
        chromium.evaluate("(() => { const s = document.getElementById('threshold'); s.value = '" + value
                + "'; s.dispatchEvent(new Event('input')); return s.value; })()");
    }

    /** The page drew exactly the detections scoring at least {@code threshold}, and says how many. */
    private static void assertDrawn(HeadlessChromium chromium, JsonNode all, double threshold) throws Exception {
        JsonNode drawn = chromium.evaluate("window.rcnn4jPage.drawn");
        int k = 0;
        for (JsonNode d : all) {
            if (d.get("score").asDouble() < threshold) continue;
            assertSameJson(d, drawn.get(k++), "threshold " + threshold);
        }
        assertEquals(k, drawn.size(), "threshold " + threshold);
        assertEquals(String.valueOf(k), chromium.evaluate("document.getElementById('canvas').dataset.drawn").asText());
    }

    /** Equal JSON, numbers by value: the browser gives back a box coordinate 0.0 as 0. */
    private static void assertSameJson(JsonNode expected, JsonNode actual, String what) {
        java.util.Comparator<JsonNode> byValue = (a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
        assertTrue(expected.equals(byValue, actual), what + ": expected " + expected + ", got " + actual);
    }

    /** A page expression counting the canvas's pixels of exactly the colours of the classes in {@code detections}. */
    private static String classColourPixels(JsonNode detections) {
        StringBuilder ids = new StringBuilder();
        for (JsonNode d : detections) ids.append(d.get("category_id").asInt()).append(',');
        return "(() => { const c = document.getElementById('canvas'); const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " const want = new Set([" + ids + "].map(window.rcnn4jPage.colour));"
                + " let n = 0; for (let i = 0; i < px.length; i += 4) {"
                + " const hex = '#' + [px[i], px[i + 1], px[i + 2]].map(v => v.toString(16).padStart(2, '0')).join('');"
                + " if (want.has(hex)) n++; } return n; })()";
    }
}
