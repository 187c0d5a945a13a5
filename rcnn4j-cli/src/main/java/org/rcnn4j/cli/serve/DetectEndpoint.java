package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageIds;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.evaluation.ResultsWriter;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;

/**
 * {@code POST /v1/detect}: one image in (JPEG or PNG, as the raw body or the one file of a
 * {@code multipart/form-data} body), its detections out.
 *
 * <p>The order of the checks is the order of their costs: the query, then a place in the
 * {@link DetectionPool} (503 at once without one), then the body, read against the size limit
 * (413), then decoding and detection on a worker. The default answer is
 * {@code {"image": {"width", "height"}, "detections": [{"label", "category_id", "score", "box": [x1, y1, x2, y2]}],
 * "timing_ms": {...}}}, boxes in the image's pixels; {@code ?format=coco} answers the rows
 * {@code detect --json} writes, through the same {@link ResultsWriter}. The image id of those rows
 * is the uploaded file's name when it is a number ({@link ImageIds}), else 1.
 */
final class DetectEndpoint {
    private final Detector detector;
    private final ImageDetector detect;
    private final DetectionPool pool;
    private final ServerSettings settings;
    private final BooleanSupplier draining;

    /** An uploaded image's bytes; {@code fileName} is null for a raw body. */
    private record Upload(byte[] bytes, String fileName) {
        String source() {
            return fileName == null ? "the request body" : "file '" + fileName + "'";
        }
    }

    /** A detected image: its record, the detections kept and the wall time of each step on the worker, in milliseconds. */
    private record Result(ImageRecord record, List<Detection> detections, Map<String, Double> millis) {}

    /**
     * @param draining whether the server is shutting down; new requests are then answered 503
     */
    DetectEndpoint(Detector detector, ImageDetector detect, DetectionPool pool, ServerSettings settings, BooleanSupplier draining) {
        this.detector = detector;
        this.detect = detect;
        this.pool = pool;
        this.settings = settings;
        this.draining = draining;
    }

    void serve(HttpExchange exchange) throws Exception {
        long start = System.nanoTime();
        DetectQuery query = DetectQuery.parse(exchange.getRequestURI().getRawQuery(), settings.defaultScoreThreshold());
        if (draining.getAsBoolean()) throw HttpError.unavailable("the server is shutting down", pool.retryAfterSeconds());
        if (!pool.tryAdmit()) {
            throw HttpError.unavailable("busy: " + (settings.workers() + settings.queue()) + " requests are being detected or queued ("
                    + settings.workers() + " workers, queue " + settings.queue() + "); retry later", pool.retryAfterSeconds());
        }
        try {
            byte[] body = RequestBody.read(exchange, settings.maxImageBytes());
            long read = System.nanoTime();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Upload upload = MultipartForm.isForm(contentType)
                    ? fileOf(MultipartForm.onlyFile(contentType, body)) : new Upload(body, null);
            Result result = pool.run(() -> detect(upload, query.scoreThreshold(), read));
            Map<String, Double> timing = new LinkedHashMap<>();
            timing.put("read", millis(read - start));
            timing.putAll(result.millis());
            timing.put("total", millis(System.nanoTime() - start));
            respond(exchange, query.format(), result, timing);
        } finally {
            pool.leave();
        }
    }

    private static Upload fileOf(MultipartForm.FilePart part) {
        return new Upload(part.content(), part.fileName());
    }

    /** On a worker: decodes and detects, keeping detections scoring at least {@code threshold}. */
    private Result detect(Upload upload, float threshold, long submitted) {
        long start = System.nanoTime();
        if (upload.bytes().length == 0) throw HttpError.badRequest(upload.source() + " is empty; send a JPEG or PNG image");
        try {
            RgbImage image = ImageDecoder.decode(upload.bytes(), null);
            long decoded = System.nanoTime();
            String name = upload.fileName() == null ? "image" : ImageIds.stem(upload.fileName());
            ImageRecord record = new ImageRecord(ImageIds.next(name, new HashSet<>()), name,
                    upload.fileName() == null ? "" : upload.fileName(), image.width(), image.height(), List.of());
            StageTimes times = new StageTimes();
            List<Detection> kept = new ArrayList<>();
            for (Detection d : detect.detect(image, record, times)) if (d.score() >= threshold) kept.add(d);
            Map<String, Double> millis = new LinkedHashMap<>();
            millis.put("queue", millis(start - submitted));
            millis.put("decode", millis(decoded - start));
            times.millisPerImage().forEach((stage, ms) -> millis.put(stage, round(ms)));
            return new Result(record, kept, millis);
        } catch (BadInputException e) {
            throw HttpError.badRequest(upload.source() + ": " + e.getMessage());
        }
    }

    private void respond(HttpExchange exchange, DetectQuery.Format format, Result result, Map<String, Double> timing) throws IOException {
        if (format == DetectQuery.Format.COCO) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Dataset image = new Dataset(null, List.of(), detector.categories(), List.of(result.record()));
            ResultsWriter.writeCoco(result.detections(), image, out);
            Responses.bytes(exchange, 200, Responses.JSON_TYPE, out.toByteArray());
            return;
        }
        ObjectNode root = Responses.JSON.createObjectNode();
        root.putObject("image").put("width", result.record().width()).put("height", result.record().height());
        ArrayNode detections = root.putArray("detections");
        for (Detection d : result.detections()) {
            ObjectNode o = detections.addObject();
            o.put("label", detector.categoryName(d.categoryId()));
            o.put("category_id", d.categoryId());
            o.put("score", d.score());
            o.putArray("box").add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2());
        }
        ObjectNode times = root.putObject("timing_ms");
        timing.forEach(times::put);
        Responses.json(exchange, 200, root);
    }

    private static double millis(long nanos) {
        return round(nanos / 1e6);
    }

    /** Milliseconds to the microsecond: finer digits are noise. */
    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
