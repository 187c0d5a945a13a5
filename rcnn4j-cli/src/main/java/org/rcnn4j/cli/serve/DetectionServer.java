package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.rcnn4j.detector.Detector;

/**
 * The HTTP detection service of {@code rcnn4j serve}, on the JDK's {@code com.sun.net.httpserver}:
 * a loaded {@link Detector} behind {@code POST /v1/detect} ({@link DetectEndpoint}),
 * {@code GET /v1/model}, {@code /health} (the process is up), {@code /ready} (the model is loaded
 * and the server not shutting down), {@code /metrics} ({@link ServerMetrics}) and the web page's
 * static files at {@code /} ({@link StaticPage}).
 *
 * <p>Every request goes through one place ({@link #handle}) that answers any failure: a
 * {@link HttpError} as its status with {@code {"error": "..."}}, anything else as a 500 with a
 * generic message, logged as one line. A request's failure ends with its own exchange.
 *
 * <p>Threads: the JDK's server reads each request's headers on a handler thread of this server's
 * pool, sized for every admitted detection request (workers + queue, which wait there for their
 * answer) plus {@link #SPARE_HANDLERS} for health checks, metrics and refusals while all are held;
 * detection itself runs on the {@link DetectionPool}'s workers.
 *
 * <p>Shutdown ({@link #shutdown}): the server first drains, still listening, so that a client or a
 * load balancer gets a 503 (and {@code /ready} says so) rather than a refused connection; requests
 * in flight finish; then it stops listening.
 */
public final class DetectionServer {
    /** Handler threads beyond those admitted detection requests may hold. */
    static final int SPARE_HANDLERS = 4;
    /** Connections waiting for a handler thread; beyond them the JDK's server closes new connections. */
    static final int HANDLER_BACKLOG = 256;

    private record Route(String name, String method, Endpoint endpoint) {}

    @FunctionalInterface
    private interface Endpoint {
        void serve(HttpExchange exchange) throws Exception;
    }

    private final HttpServer http;
    private final ThreadPoolExecutor handlers;
    private final DetectionPool pool;
    private final ServerMetrics metrics = new ServerMetrics();
    private final StaticPage page = new StaticPage(DetectionServer.class.getClassLoader(), StaticPage.ROOT);
    private final Map<String, Route> routes;
    private final Consumer<String> log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    private boolean shutdownStarted;

    private DetectionServer(HttpServer http, Detector detector, ServerSettings settings, ImageDetector detect, Consumer<String> log) {
        this.http = http;
        this.log = log;
        this.pool = new DetectionPool(settings.workers(), settings.queue());
        int threads = settings.workers() + settings.queue() + SPARE_HANDLERS;
        AtomicInteger count = new AtomicInteger();
        this.handlers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(HANDLER_BACKLOG), r -> {
            Thread t = new Thread(r, "rcnn4j-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        handlers.allowCoreThreadTimeOut(true);
        DetectEndpoint detectEndpoint = new DetectEndpoint(detector, detect, pool, settings, () -> draining);
        JsonNode model = ModelDescription.of(detector, settings);
        this.routes = Map.of(
                "/v1/detect", new Route("detect", "POST", detectEndpoint::serve),
                "/v1/model", new Route("model", "GET", e -> Responses.json(e, 200, model)),
                "/health", new Route("health", "GET", e -> Responses.json(e, 200, Responses.JSON.createObjectNode().put("status", "up"))),
                "/ready", new Route("ready", "GET", this::ready),
                "/metrics", new Route("metrics", "GET",
                        e -> Responses.text(e, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(pool))));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
    }

    /**
     * Starts serving {@code detector} with {@code detector::detect}.
     *
     * @param log where a request's internal error is reported, one line each
     * @throws IOException when the address cannot be listened on (a port in use: {@link java.net.BindException})
     */
    public static DetectionServer start(Detector detector, ServerSettings settings, Consumer<String> log) throws IOException {
        return start(detector, settings, detector::detect, log);
    }

    /**
     * Starts serving, detecting through {@code detect} (a wrapper around {@code detector::detect});
     * {@code detector} still gives the classes and the model's description.
     */
    public static DetectionServer start(Detector detector, ServerSettings settings, ImageDetector detect, Consumer<String> log)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        DetectionServer server = new DetectionServer(http, detector, settings, detect, log);
        http.start();
        return server;
    }

    /** The port listened on (the free one chosen for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Whether new detection requests are taken: false once shutdown has begun. */
    public boolean ready() {
        return !draining;
    }

    /**
     * Shuts down gracefully: new detection requests are answered 503 and {@code /ready} says 503
     * while those in flight finish, at most {@code grace}; then the server stops listening and its
     * threads end. Returns at once when called again.
     *
     * @return whether every request in flight finished within {@code grace}
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        synchronized (this) {
            if (shutdownStarted) return metrics.inFlight() == 0;
            shutdownStarted = true;
        }
        draining = true;
        boolean drained = metrics.awaitIdle(grace);
        http.stop(0);
        pool.close();
        handlers.shutdown();
        stopped.countDown();
        return drained;
    }

    /** Blocks until {@link #shutdown} has stopped the server. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Requests in flight now (tests). */
    int inFlight() {
        return metrics.inFlight();
    }

    /** Admitted detection requests waiting for a worker (tests). */
    int queued() {
        return pool.queued();
    }

    private void ready(HttpExchange exchange) throws IOException {
        if (draining) throw HttpError.unavailable("shutting down", pool.retryAfterSeconds());
        Responses.json(exchange, 200, Responses.JSON.createObjectNode().put("status", "ready"));
    }

    /** Routes one request and answers whatever goes wrong with it; never throws. */
    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        metrics.started();
        String path = exchange.getRequestURI().getPath();
        Route route = routes.get(path);
        try {
            if (route == null) servePage(exchange, path);
            else if (!route.method().equals(exchange.getRequestMethod())) {
                throw HttpError.methodNotAllowed(exchange.getRequestMethod(), path, route.method());
            } else {
                route.endpoint().serve(exchange);
            }
        } catch (HttpError e) {
            answer(exchange, e);
        } catch (Throwable e) {
            // One line: the log of a busy server stays readable, and the client learns nothing internal.
            log.accept("rcnn4j serve: " + exchange.getRequestMethod() + " " + path + ": internal error: "
                    + String.valueOf(e).replace('\n', ' '));
            answer(exchange, HttpError.internal());
        } finally {
            int code = exchange.getResponseCode();
            exchange.close();
            metrics.finished(route != null ? route.name() : "page", code, System.nanoTime() - start);
        }
    }

    private void servePage(HttpExchange exchange, String path) throws IOException {
        Optional<StaticPage.File> file = page.find(path);
        if (file.isEmpty()) throw HttpError.notFound(path);
        if (!exchange.getRequestMethod().equals("GET")) throw HttpError.methodNotAllowed(exchange.getRequestMethod(), path, "GET");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        Responses.bytes(exchange, 200, file.get().contentType(), file.get().bytes());
    }

    /**
     * Sends an error unless a response has already begun (then the exchange can only be closed).
     * What is left of the request body is read first ({@link RequestBody#discardRest}): the JDK's
     * server closes a connection whose body is unread as soon as the answer is written, and a
     * socket closed with unread bytes resets, which can destroy the answer before the client reads it.
     */
    private static void answer(HttpExchange exchange, HttpError error) {
        if (exchange.getResponseCode() != -1) return;
        RequestBody.discardRest(exchange);
        try {
            Responses.error(exchange, error);
        } catch (IOException e) {
            // The client went away: nobody is left to answer.
        }
    }
}
