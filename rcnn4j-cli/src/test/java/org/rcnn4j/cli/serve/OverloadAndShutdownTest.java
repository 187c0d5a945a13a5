package org.rcnn4j.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rcnn4j.detector.Detector;

/**
 * The server under more work than it takes, and while it shuts down, with detections held on a
 * latch (a slow request made deterministic): with 1 worker and a queue of 1, a third request is
 * refused at once with 503 and {@code Retry-After} while the two admitted ones are answered; on
 * shutdown, a detection in flight finishes and is answered while new requests and {@code /ready}
 * get 503, then the port closes.
 */
class OverloadAndShutdownTest {
    static Detector detector;
    static byte[] png;

    /** Counted down by each detection as it starts. */
    CountDownLatch started;
    /** Detections wait on it before detecting. */
    final CountDownLatch release = new CountDownLatch(1);
    TestServer served;

    @BeforeAll
    static void load() throws Exception {
        detector = Detector.load(TestServer.FIXTURES.resolve("faster-rcnn"));
        png = Files.readAllBytes(TestServer.IMAGES.resolve("000002.png"));
    }

    @AfterAll
    static void close() {
        if (detector != null) detector.close();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (served != null) served.close();
    }

    private void startHeld(int workers, int queue, int detections) throws Exception {
        started = new CountDownLatch(detections);
        served = TestServer.start(detector, TestServer.settings(workers, queue), (image, record, times) -> {
            started.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return detector.detect(image, record, times);
        });
    }

    private CompletableFuture<HttpResponse<String>> detectAsync() {
        return served.postAsync("/v1/detect", png, "image/png");
    }

    @Test
    void fullQueueIsRefusedAtOnceWith503AndRetryAfter() throws Exception {
        startHeld(1, 1, 1);
        CompletableFuture<HttpResponse<String>> running = detectAsync();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> queued = detectAsync();
        TestServer.await("the second request in the queue", () -> served.server.queued() == 1);

        long t0 = System.nanoTime();
        HttpResponse<String> refused = served.post("/v1/detect", png);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(seconds < 5, "refused at once, not after the held detections: " + seconds + " s");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        assertTrue(TestServer.json(refused).get("error").asText().contains("busy"), refused.body());
        // Other endpoints do not wait for a worker.
        assertEquals(200, served.get("/health").statusCode());
        String metrics = served.get("/metrics").body();
        assertEquals(1, DetectionServerTest.value(metrics, "rcnn4j_detect_queue_depth"));
        assertEquals(1, DetectionServerTest.value(metrics, "rcnn4j_detect_workers_busy"));
        assertEquals(1, DetectionServerTest.value(metrics, "rcnn4j_http_requests_total{handler=\"detect\",code=\"503\"}"));

        release.countDown();
        assertEquals(200, running.get(120, TimeUnit.SECONDS).statusCode());
        assertEquals(200, queued.get(120, TimeUnit.SECONDS).statusCode());
        assertEquals(200, served.post("/v1/detect", png).statusCode(), "places are given back");
    }

    @Test
    void shutdownFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        startHeld(1, 2, 1);
        CompletableFuture<HttpResponse<String>> inFlight = detectAsync();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return served.server.shutdown(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TestServer.await("draining", () -> !served.server.ready());

        HttpResponse<String> ready = served.get("/ready");
        assertEquals(503, ready.statusCode());
        HttpResponse<String> refused = served.post("/v1/detect", png);
        assertEquals(503, refused.statusCode());
        assertTrue(refused.body().contains("shutting down"), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertFalse(drained.isDone(), "shutdown waits for the detection in flight");

        release.countDown();
        HttpResponse<String> answered = inFlight.get(120, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(TestServer.json(answered).get("detections").isArray());
        assertTrue(drained.get(120, TimeUnit.SECONDS), "every request finished within the grace period");
        served.server.awaitStopped();
        Exception e = assertThrows(Exception.class, () -> served.get("/health"));
        assertTrue(e instanceof ConnectException || e.getCause() instanceof ConnectException, String.valueOf(e));
    }

    @Test
    void shutdownGivesUpAfterTheGracePeriod() throws Exception {
        startHeld(1, 0, 1);
        CompletableFuture<HttpResponse<String>> inFlight = detectAsync();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertFalse(served.server.shutdown(Duration.ofMillis(300)), "a held detection outlives 0.3 s");
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "shutdown returns after its grace period");
        release.countDown();
        inFlight.handle((r, error) -> null).get(120, TimeUnit.SECONDS);
    }
}
