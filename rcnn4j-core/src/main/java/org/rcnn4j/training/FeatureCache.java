package org.rcnn4j.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * The on-disk cache of per-proposal features that R-CNN's SVMs and box regressors train on
 * (Girshick et al. 2014, §2.3 and Appendix C): one file per training image, so memory stays at one
 * image's features however large the training set. The original code caches pool5
 * ({@code rcnn_cache_pool5_features.m}) and recomputes fc7 from it; the manifest records the layer,
 * so fc7 for the SVMs and pool5 for the box regressors are both caches of this kind.
 *
 * <p><b>Layout.</b> {@code manifest.json} and one {@code <imageId>.feat} per image (format in
 * {@link FeatureFile}: a 16-byte header, R×4 float32 boxes, R×d float16 features). The manifest
 * holds {@code format}, {@code dtype} ("float16"), {@code d}, {@code layer} (e.g. "fc7"),
 * {@code fingerprint} (what produced the features, e.g. the weights' sha256) and {@code scale}
 * (null until {@link #setScale}). Every file is written atomically, so after a crash the cache
 * holds whole images only, and {@link #fill} resumes with the missing ones.
 *
 * <p><b>Scale.</b> R-CNN multiplies its features by 20 / (mean L2 norm), estimated on a sample
 * ({@code rcnn_feature_stats.m}). Files hold the <em>unscaled</em> features, so the scale can be
 * estimated from the filled cache itself ({@link #getUnscaled}, {@link #normScale}) and recorded with
 * {@link #setScale}; {@link #get} then applies it. Unscaled values must be finite and below 65520 in
 * magnitude (float16's range), which fc7 after its ReLU is by a wide margin.
 *
 * <p>One writer per directory: opening removes temporary files that a crashed writer left behind.
 */
public final class FeatureCache {
    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";
    /** The manifest's {@code format}. */
    public static final int FORMAT = 1;
    /** R-CNN's target mean L2 norm of a feature row. */
    public static final double TARGET_NORM = 20.0;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FEATURE_FILE = Pattern.compile("-?\\d+\\.feat");

    /** One image's boxes (R×4: x1, y1, x2, y2) and features (R×d row-major). */
    public record Rows(float[] boxes, float[] features) {
        /** R, the number of boxes. */
        public int count() {
            return boxes.length / 4;
        }
    }

    /** Computes one image's rows; called by {@link #fill} for images not yet cached. */
    @FunctionalInterface
    public interface Extractor {
        Rows extract(long imageId) throws IOException;
    }

    /** Progress of {@link #fill}. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done       images of the list now cached (those cached before included)
         * @param total      images in the list
         * @param etaSeconds estimated seconds left, from this run's rate; NaN until an image was computed
         * @param cacheBytes the cache's size on disk, as {@link #sizeBytes()}
         */
        void report(int done, int total, double etaSeconds, long cacheBytes);

        Progress NONE = (done, total, eta, bytes) -> {};
    }

    private final Path dir;
    private final Path manifest;
    private final int d;
    private final String layer;
    private final String fingerprint;
    private float scale = Float.NaN;

    private FeatureCache(Path dir, int d, String layer, String fingerprint) {
        this.dir = dir;
        this.manifest = dir.resolve(MANIFEST);
        this.d = d;
        this.layer = layer;
        this.fingerprint = fingerprint;
    }

    /**
     * Opens the cache in {@code dir}, creating it if needed.
     *
     * @param d           features per row (4096 for AlexNet's fc7)
     * @param layer       the layer the features come from, e.g. "fc7"
     * @param fingerprint what produced the features, e.g. the model weights' sha256
     * @throws BadInputException naming the manifest and field when the cache holds another d, layer or
     *     fingerprint, or the manifest is damaged; naming the directory when feature files lie there
     *     without a manifest
     */
    public static FeatureCache open(Path dir, int d, String layer, String fingerprint) throws IOException {
        if (d < 1) throw new IllegalArgumentException("feature dimension " + d);
        FeatureCache cache = new FeatureCache(dir, d, layer, fingerprint);
        Files.createDirectories(dir);
        cache.removeTemporaryFiles();
        if (Files.isRegularFile(cache.manifest)) {
            cache.checkManifest();
        } else {
            if (cache.images() > 0) {
                throw new BadInputException(dir, MANIFEST, "missing, but the directory holds feature files;"
                        + " delete them or use another directory");
            }
            cache.writeManifest();
        }
        return cache;
    }

    private void checkManifest() throws IOException {
        JsonNode m;
        try {
            m = JSON.readTree(manifest.toFile());
        } catch (JsonProcessingException e) {
            throw new BadInputException(manifest, null, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (m == null || !m.isObject()) throw new BadInputException(manifest, null, "not a JSON object");
        if (field(m, "format").asInt() != FORMAT) {
            throw new BadInputException(manifest, "format", "format " + field(m, "format").asText()
                    + ", this build reads " + FORMAT);
        }
        if (field(m, "d").asInt() != d) {
            throw new BadInputException(manifest, "d", "cache holds " + field(m, "d").asText()
                    + "-d features, not " + d + "; use another directory");
        }
        if (!field(m, "layer").asText().equals(layer)) {
            throw new BadInputException(manifest, "layer", "cache holds features of layer " + field(m, "layer").asText()
                    + ", not " + layer + "; use another directory");
        }
        if (!field(m, "fingerprint").asText().equals(fingerprint)) {
            throw new BadInputException(manifest, "fingerprint", "cache was made by " + field(m, "fingerprint").asText()
                    + ", not " + fingerprint + " (another network); use another directory");
        }
        JsonNode s = field(m, "scale");
        if (!s.isNull()) {
            if (!s.isNumber() || !(s.floatValue() > 0) || Float.isInfinite(s.floatValue())) {
                throw new BadInputException(manifest, "scale", "not a positive number: " + s);
            }
            scale = s.floatValue();
        }
    }

    private JsonNode field(JsonNode m, String name) {
        JsonNode v = m.get(name);
        if (v == null) throw new BadInputException(manifest, name, "missing");
        return v;
    }

    private void writeManifest() throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("dtype", "float16");
        m.put("d", d);
        m.put("layer", layer);
        m.put("fingerprint", fingerprint);
        if (Float.isNaN(scale)) m.putNull("scale");
        else m.put("scale", scale);
        AtomicFiles.writeString(manifest, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    }

    /** Removes what {@link AtomicFiles} leaves behind when the process dies mid-write. */
    private void removeTemporaryFiles() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    public Path dir() {
        return dir;
    }

    public int d() {
        return d;
    }

    /** The file of an image, whether or not it exists yet. */
    public Path file(long imageId) {
        return dir.resolve(imageId + ".feat");
    }

    public boolean has(long imageId) {
        return Files.isRegularFile(file(imageId));
    }

    /**
     * Stores one image's rows, replacing any earlier ones.
     *
     * @param boxes    R×4 float32 (x1, y1, x2, y2)
     * @param features R×d row-major, unscaled; stored as float16
     * @throws IllegalArgumentException on a shape mismatch or a value outside float16's finite range
     */
    public void put(long imageId, float[] boxes, float[] features) throws IOException {
        FeatureFile.write(file(imageId), imageId, boxes, features, d);
    }

    /**
     * One image's rows with the features multiplied by {@link #scale()} (by 1 while no scale is set).
     *
     * @throws BadInputException naming the file when it is missing, truncated or of another format
     */
    public Rows get(long imageId) throws IOException {
        return read(imageId, Float.isNaN(scale) ? 1f : scale);
    }

    /** One image's rows as stored, without the scale: for estimating it. */
    public Rows getUnscaled(long imageId) throws IOException {
        return read(imageId, 1f);
    }

    private Rows read(long imageId, float factor) throws IOException {
        Path f = file(imageId);
        if (!Files.isRegularFile(f)) {
            throw new BadInputException(f, null, "missing: image " + imageId + " is not in the cache; fill it first");
        }
        return FeatureFile.read(f, d, factor);
    }

    /** Images cached. */
    public int images() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) if (FEATURE_FILE.matcher(p.getFileName().toString()).matches()) n++;
        }
        return n;
    }

    /** Bytes on disk: every image file plus the manifest. */
    public long sizeBytes() throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (name.equals(MANIFEST) || FEATURE_FILE.matcher(name).matches()) bytes += Files.size(p);
            }
        }
        return bytes;
    }

    /**
     * Computes and stores the images of {@code imageIds} not yet cached, one at a time (memory: one
     * image's features), reporting after the check of what is cached and after each image. An
     * exception from the extractor propagates; the images stored before it stay, so calling again
     * resumes. Repeated ids count once.
     *
     * @return the number of images computed by this call
     */
    public int fill(List<Long> imageIds, Extractor extractor, Progress progress) throws IOException {
        List<Long> ids = List.copyOf(new LinkedHashSet<>(imageIds));
        List<Long> missing = ids.stream().filter(id -> !has(id)).toList();
        int total = ids.size();
        int done = total - missing.size();
        long bytes = sizeBytes();
        progress.report(done, total, missing.isEmpty() ? 0 : Double.NaN, bytes);
        long start = System.nanoTime();
        int computed = 0;
        for (long id : missing) {
            Rows rows = extractor.extract(id);
            put(id, rows.boxes(), rows.features());
            bytes += Files.size(file(id));
            computed++;
            done++;
            double perImage = (System.nanoTime() - start) / 1e9 / computed;
            progress.report(done, total, perImage * (missing.size() - computed), bytes);
        }
        return computed;
    }

    /** The recorded feature scale, or NaN while none is set. */
    public float scale() {
        return scale;
    }

    /** Records the feature scale in the manifest (atomically); {@link #get} applies it from now on. */
    public void setScale(float scale) throws IOException {
        if (!(scale > 0) || Float.isInfinite(scale)) throw new IllegalArgumentException("feature scale " + scale);
        this.scale = scale;
        writeManifest();
    }

    /**
     * R-CNN's feature scale: {@value #TARGET_NORM} / the mean L2 norm of the sampled rows. Each array
     * holds whole rows of {@code d} (one row, or an image's R×d).
     *
     * @throws IllegalArgumentException when there are no rows, an array is not whole rows, or the mean
     *     norm is 0
     */
    public static float normScale(Iterable<float[]> sampleRows, int d) {
        double sum = 0;
        long rows = 0;
        for (float[] a : sampleRows) {
            if (a.length % d != 0) throw new IllegalArgumentException(a.length + " values are not whole rows of " + d);
            for (int off = 0; off < a.length; off += d) {
                double sq = 0;
                for (int j = off; j < off + d; j++) sq += (double) a[j] * a[j];
                sum += Math.sqrt(sq);
                rows++;
            }
        }
        if (rows == 0) throw new IllegalArgumentException("no rows to estimate the feature scale from");
        if (!(sum > 0)) throw new IllegalArgumentException("mean L2 norm of the sampled rows is " + sum / rows);
        return (float) (TARGET_NORM / (sum / rows));
    }
}
