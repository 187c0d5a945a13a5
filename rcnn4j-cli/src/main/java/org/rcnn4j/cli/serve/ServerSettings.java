package org.rcnn4j.cli.serve;

/**
 * Where a {@link DetectionServer} listens and how much work it takes on at once.
 *
 * @param host                  the address to listen on: {@code 127.0.0.1} for this machine only, {@code 0.0.0.0} for every interface
 * @param port                  the TCP port; 0 picks a free one ({@link DetectionServer#port()})
 * @param workers               detections that run at the same time, each on a thread of its own (at least 1)
 * @param queue                 admitted requests that may wait for a worker beyond those running (at least 0);
 *                              a request finding workers + queue requests in the server is answered 503
 * @param maxImageBytes         the largest request body accepted, in bytes (413 beyond); at most a Java array
 * @param defaultScoreThreshold the {@code score_threshold} of a request that gives none
 * @param libtorchThreads       libtorch's intra-op threads per detection, as the caller set them; reported by {@code /v1/model}
 */
public record ServerSettings(String host, int port, int workers, int queue, long maxImageBytes, float defaultScoreThreshold,
        int libtorchThreads) {
    /** The most bytes a body may have: the largest Java array. */
    public static final long MAX_BODY_BYTES = Integer.MAX_VALUE - 8;

    public ServerSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host: missing");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port: " + port + " is not in 0..65535");
        if (workers < 1) throw new IllegalArgumentException("workers: " + workers + " is below 1");
        if (queue < 0) throw new IllegalArgumentException("queue: " + queue + " is below 0");
        if (maxImageBytes < 1 || maxImageBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("maxImageBytes: " + maxImageBytes + " is not in 1.." + MAX_BODY_BYTES);
        }
        if (!Float.isFinite(defaultScoreThreshold)) throw new IllegalArgumentException("defaultScoreThreshold: not finite");
        if (libtorchThreads < 1) throw new IllegalArgumentException("libtorchThreads: " + libtorchThreads + " is below 1");
    }
}
