package org.rcnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rcnn4j.cli.serve.DetectionServer;
import org.rcnn4j.cli.serve.ServerSettings;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.proposals.SelectiveSearchSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j serve}: a model directory behind an HTTP detection service ({@link DetectionServer}). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a model over HTTP until SIGTERM or Ctrl-C:",
            "  POST /v1/detect   an image (JPEG or PNG: the raw body, or one file of multipart/form-data) -> its detections as JSON;",
            "                    ?score_threshold=T (default: detect's), ?format=coco (COCO results rows, as detect --json)",
            "  GET  /v1/model    detector kind, classes, config summary;  /health, /ready;  /metrics (Prometheus text)",
            "Errors are {\"error\": \"...\"} with a 4xx status. When workers + queue requests are in the server, more are",
            "answered 503 with Retry-After at once. On SIGTERM new requests get 503 while those in flight finish.",
            "Threads: libtorch's threads are shared by the whole process, so each of the --workers detections gets",
            "cores / workers of them (workers x threads <= cores); RCNN4J_THREADS=N sets the count per worker instead.",
            "Memory: the model once, plus per worker a detection's activations, plus per admitted request its body",
            "(at most --max-image-mb) and its decoded image."
        })
final class ServeCommand implements Callable<Integer> {
    /** 2^20 bytes: the MB of {@code --max-image-mb}, as the progress lines' MB. */
    private static final long MB = 1L << 20;

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "A model directory written by 'rcnn4j train'.")
    Path model;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: every interface).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}; 0: a free one).")
    int port;

    @Option(names = "--workers", paramLabel = "N", description = "Detections that run at once (default: the machine's cores).")
    Integer workers;

    @Option(names = "--queue", paramLabel = "Q", description = "Requests that may wait for a worker; beyond them 503 (default: 2 x workers).")
    Integer queue;

    @Option(names = "--max-image-mb", paramLabel = "M", defaultValue = "20",
            description = "Largest request body in MB of 2^20 bytes (default: ${DEFAULT-VALUE}); larger ones get 413.")
    double maxImageMb;

    @Option(names = "--shutdown-grace", paramLabel = "S", defaultValue = "30",
            description = "Seconds requests in flight get to finish after SIGTERM (default: ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Mixin ClassifierOptions classifier;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int w = workers != null ? workers : cores;
        if (w < 1) throw new UsageException("--workers: expected at least 1, got " + w);
        int q = queue != null ? queue : 2 * w;
        if (q < 0) throw new UsageException("--queue: expected 0 or more, got " + q);
        if (port < 0 || port > 65535) throw new UsageException("--port: expected 0 to 65535, got " + port);
        if (!(maxImageMb > 0) || maxImageMb * MB > ServerSettings.MAX_BODY_BYTES) {
            throw new UsageException("--max-image-mb: expected more than 0 and at most " + ServerSettings.MAX_BODY_BYTES / MB + ", got " + maxImageMb);
        }
        if (shutdownGrace < 0) throw new UsageException("--shutdown-grace: expected 0 or more seconds, got " + shutdownGrace);
        checkHost(host);
        int threads = threadsPerWorker(System.getenv("RCNN4J_THREADS"), System.getenv("OMP_WAIT_POLICY"), cores, w);

        Detector detector = Detector.load(model);
        DetectionServer server;
        try {
            searchOnEachRequest(detector);
            classifier.apply(detector);
            // Process-wide, and taken up by each worker thread at its first operation: set before any worker starts.
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            ServerSettings settings = new ServerSettings(host, port, w, q, (long) (maxImageMb * MB),
                    detector.defaultScoreThreshold(), threads);
            PrintWriter err = spec.commandLine().getErr();
            server = DetectionServer.start(detector, settings, line -> {
                err.println(line);
                err.flush();
            });
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "rcnn4j serve: %s model (%d classes) at http://%s:%d/ ; %d workers x %d libtorch threads, queue %d, "
                    + "bodies up to %s MB%n", detector.description().detector(), detector.categories().size(), host, server.port(), w, threads,
                    q, new BigDecimal(Double.toString(maxImageMb)).stripTrailingZeros().toPlainString());
            out.flush();
        } catch (BindException e) {
            detector.close();
            throw new UsageException("--port: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (IOException | RuntimeException | Error e) {
            detector.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, detector), "rcnn4j-serve-shutdown"));
        server.awaitStopped();
        return 0;
    }

    /**
     * Gives a detector on external proposals (R-CNN, SPP-net, Fast R-CNN) selective search on each
     * request's image, as {@code detect} runs it without {@code --proposals} (fast mode, 2000 boxes,
     * seed 0 with the image id), so an upload named as {@code detect}'s file gets its detections.
     * Not a cached {@code SelectiveSearchSource}: its per-image cache would grow with every request.
     */
    static void searchOnEachRequest(Detector detector) {
        if (detector.takesProposals()) detector.useProposals(SelectiveSearchSource.onEachImage());
    }

    /** On SIGTERM or Ctrl-C: drain, stop, and release the model unless a detection outlived the grace period. */
    private void stop(DetectionServer server, Detector detector) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("rcnn4j serve: shutting down; requests in flight get " + shutdownGrace + " s to finish");
        err.flush();
        try {
            if (server.shutdown(Duration.ofSeconds(shutdownGrace))) {
                detector.close();
                err.println("rcnn4j serve: stopped");
            } else {
                // Closing the model under a running detection could crash the process on its way out.
                err.println("rcnn4j serve: stopped with requests still in flight after " + shutdownGrace + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.flush();
    }

    /**
     * libtorch's threads per worker: {@code RCNN4J_THREADS} when set; else, when OpenMP's idle
     * threads sleep ({@code OMP_WAIT_POLICY=PASSIVE}, the launcher's setting), the cores shared out
     * among the workers, at least 1; else 1, as {@link Main#defaultThreads} (spinning idle threads
     * slow each other down).
     *
     * @throws UsageException when {@code RCNN4J_THREADS} is not a positive whole number
     */
    static int threadsPerWorker(String env, String ompWaitPolicy, int cores, int workers) {
        if (env != null) {
            try {
                int t = Integer.parseInt(env.trim());
                if (t >= 1) return t;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("RCNN4J_THREADS: expected a whole number of at least 1, got '" + env + "'");
        }
        return Main.defaultThreads(ompWaitPolicy) == 1 ? 1 : Math.max(1, cores / workers);
    }

    private static void checkHost(String host) {
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException("--host: cannot resolve '" + host + "'");
        }
    }
}
