import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load client for {@code rcnn4j serve}: C clients, each sending its next
 * {@code POST /v1/detect} as soon as the last is answered, until N requests in all have been sent or
 * a time limit passes. The images are the folder's PNG and JPEG files, in turn. Latency is from
 * the request sent to the whole answer read; a 503 is counted apart (the server refusing work it
 * has no room for, by design), and anything else that is not a 200, or a connection failure, is an
 * error.
 *
 * <p>Prints one JSON object: requests, ok, refused_503, errors, wall_s, throughput_rps (answered
 * 200s per second), and the 200s' latency p50/p95/p99/max in milliseconds, plus the 503s' p99.
 *
 * <p>Usage: {@code java bench/ServeLoad.java URL IMAGE_DIR CLIENTS REQUESTS MAX_SECONDS}, URL the
 * server's base ({@code http://127.0.0.1:8080/}). Only the JDK: no build needed.
 */
public class ServeLoad {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: java bench/ServeLoad.java URL IMAGE_DIR CLIENTS REQUESTS MAX_SECONDS");
            System.exit(2);
        }
        URI detect = URI.create(args[0]).resolve("/v1/detect");
        List<byte[]> images = new ArrayList<>();
        try (var files = Files.list(Path.of(args[1]))) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")) images.add(Files.readAllBytes(f));
            }
        }
        if (images.isEmpty()) throw new IllegalArgumentException("no images in " + args[1]);
        int clients = Integer.parseInt(args[2]);
        int requests = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger next = new AtomicInteger();
        List<Long> okNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> refusedNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int k; (k = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                    HttpRequest request = HttpRequest.newBuilder(detect).timeout(Duration.ofSeconds(300)).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(images.get(k % images.size()))).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        long t = System.nanoTime() - t0;
                        if (r.statusCode() == 200) okNanos.add(t);
                        else if (r.statusCode() == 503) refusedNanos.add(t);
                        else errors.computeIfAbsent("HTTP " + r.statusCode(), s -> new LongAdder()).increment();
                    } catch (IOException e) {
                        errors.computeIfAbsent(e.getClass().getSimpleName(), s -> new LongAdder()).increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.DAYS);
        double wall = (System.nanoTime() - start) / 1e9;
        long[] ok = okNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] refused = refusedNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
        Map<String, Long> errorKinds = new TreeMap<>();
        errors.forEach((k, v) -> errorKinds.put(k, v.sum()));
        System.out.printf(Locale.ROOT, "{\"clients\": %d, \"requests\": %d, \"ok\": %d, \"refused_503\": %d, \"errors\": %d, \"error_kinds\": \"%s\", "
                + "\"wall_s\": %.2f, \"throughput_rps\": %.2f, \"p50_ms\": %s, \"p95_ms\": %s, \"p99_ms\": %s, \"max_ms\": %s, "
                + "\"refused_p99_ms\": %s}%n", clients, ok.length + refused.length + errorCount, ok.length, refused.length, errorCount,
                errorKinds, wall, ok.length / wall, ms(ok, 0.50), ms(ok, 0.95), ms(ok, 0.99), ms(ok, 1.0), ms(refused, 0.99));
    }

    /** The q-quantile in milliseconds (nearest rank), as JSON: null for no samples. */
    static String ms(long[] sorted, double q) {
        if (sorted.length == 0) return "null";
        int rank = (int) Math.ceil(q * sorted.length);
        return String.format(Locale.ROOT, "%.1f", sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6);
    }
}
