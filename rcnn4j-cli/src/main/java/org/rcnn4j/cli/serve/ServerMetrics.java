package org.rcnn4j.cli.serve;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.rcnn4j.io.ResidentMemory;

/**
 * What {@code GET /metrics} reports, in Prometheus's text exposition format (version 0.0.4):
 * requests answered by handler and status code, each handler's request latency as a histogram,
 * requests in flight, the detection queue's depth and busy workers, and the process's resident
 * memory ({@link ResidentMemory}: the Java heap and libtorch's native memory together) beside the
 * Java heap's committed and used bytes, so that the native part can be told apart.
 *
 * <p>Handlers are the fixed route names ({@code detect}, {@code model}, {@code health},
 * {@code ready}, {@code metrics}, {@code page}), never the requested path, so that a client
 * requesting random paths cannot grow the series without bound.
 */
final class ServerMetrics {
    /** Latency bucket bounds in seconds: a health check's milliseconds up to a large image's detection on a busy CPU. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private record Key(String handler, int code) {}

    /** Counts per bucket (not cumulative; the text format's cumulative counts are summed when written). */
    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
            counts[i].increment();
            sum.add(seconds);
        }
    }

    private final ConcurrentMap<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> latency = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();

    /** A request has started. */
    void started() {
        inFlight.incrementAndGet();
    }

    /**
     * A request has ended.
     *
     * @param code the status sent, or -1 when none could be (the client went away)
     */
    void finished(String handler, int code, long nanos) {
        requests.computeIfAbsent(new Key(handler, code), k -> new LongAdder()).increment();
        latency.computeIfAbsent(handler, h -> new Histogram()).observe(nanos / 1e9);
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Waits until no request is in flight, at most {@code timeout}; whether none is. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    /** The exposition text, with the pool's gauges as they are now. */
    String render(DetectionPool pool) {
        StringBuilder out = new StringBuilder(4096);
        header(out, "rcnn4j_http_requests_total", "counter", "HTTP requests answered, by handler and status code (code -1: the client went away first).");
        Map<Key, LongAdder> sorted = new TreeMap<>((a, b) -> a.handler().equals(b.handler())
                ? Integer.compare(a.code(), b.code()) : a.handler().compareTo(b.handler()));
        sorted.putAll(requests);
        sorted.forEach((k, v) -> out.append("rcnn4j_http_requests_total{handler=\"").append(k.handler())
                .append("\",code=\"").append(k.code()).append("\"} ").append(v.sum()).append('\n'));
        header(out, "rcnn4j_http_request_duration_seconds", "histogram", "Time from a request's headers to its answer sent, by handler.");
        new TreeMap<>(latency).forEach((handler, h) -> histogram(out, handler, h));
        gauge(out, "rcnn4j_http_requests_in_flight", "Requests being answered now.", inFlight.get());
        gauge(out, "rcnn4j_detect_queue_depth", "Admitted detection requests waiting for a worker.", pool.queued());
        gauge(out, "rcnn4j_detect_queue_capacity", "Requests that may wait for a worker (--queue); more are answered 503.", pool.queueCapacity());
        gauge(out, "rcnn4j_detect_workers_busy", "Workers detecting now.", pool.busy());
        gauge(out, "rcnn4j_detect_workers", "Detection workers (--workers).", pool.workers());
        long rss = ResidentMemory.currentBytes();
        if (rss >= 0) gauge(out, "process_resident_memory_bytes", "Resident memory of the process: the Java heap and native memory (libtorch).", rss);
        // The heap's share of that: what the collector has taken from the system, and what live and dead objects fill of it.
        Runtime runtime = Runtime.getRuntime();
        gauge(out, "rcnn4j_jvm_heap_committed_bytes", "Java heap taken from the system (part of the resident memory).", runtime.totalMemory());
        gauge(out, "rcnn4j_jvm_heap_used_bytes", "Java heap in use, live objects and garbage not yet collected.", runtime.totalMemory() - runtime.freeMemory());
        return out.toString();
    }

    private static void histogram(StringBuilder out, String handler, Histogram h) {
        long cumulative = 0;
        for (int i = 0; i < h.counts.length; i++) {
            cumulative += h.counts[i].sum();
            String le = i < BUCKETS.length ? new BigDecimal(Double.toString(BUCKETS[i])).stripTrailingZeros().toPlainString() : "+Inf";
            out.append("rcnn4j_http_request_duration_seconds_bucket{handler=\"").append(handler).append("\",le=\"").append(le)
                    .append("\"} ").append(cumulative).append('\n');
        }
        out.append("rcnn4j_http_request_duration_seconds_sum{handler=\"").append(handler).append("\"} ")
                .append(String.format(Locale.ROOT, "%.6f", h.sum.sum())).append('\n');
        out.append("rcnn4j_http_request_duration_seconds_count{handler=\"").append(handler).append("\"} ").append(cumulative).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
