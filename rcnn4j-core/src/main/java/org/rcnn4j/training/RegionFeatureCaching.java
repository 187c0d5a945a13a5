package org.rcnn4j.training;

import ai.djl.training.ParameterStore;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.RegionFeatureDetector;
import org.rcnn4j.detector.RegionFeatures;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * R-CNN's feature caching (§2.3; {@code rcnn_cache_pool5_features.m}), and SPP-net's the same way
 * (§4.1): every training image's regions, its ground-truth boxes first and then its proposals, run
 * through the fine-tuned detector once ({@link RegionFeatureDetector#regionFeatures}), their fc7
 * features stored in one {@link FeatureCache} (for the SVMs) and the pooled features (R-CNN's pool5,
 * SPP-net's pyramid) of the regions that can train a box regressor (IoU above the regression
 * threshold with a ground-truth box) in another. Images are read at the model's scale(s),
 * unflipped; boxes are in original-image pixels. Resumable image by image; progress reports the ETA
 * and the caches' size.
 *
 * <p>Row layout of an image's fc7 file: rows 0..G−1 are its ground-truth boxes (those that train,
 * difficult and crowd objects excluded, in annotation order: {@link #groundTruth}), the rest its
 * proposals.
 */
public final class RegionFeatureCaching implements TrainingStage {
    /** The fc7 cache's folder under the cache directory. */
    public static final String FC7 = "fc7";
    /** The pool5 cache's folder under the cache directory. */
    public static final String POOL5 = "pool5";

    private final RegionFeatureDetector model;
    private final Dataset data;
    private final List<ImageRecord> images;
    private final ProposalSource proposals;
    private final Path dir;
    private final TrainingListener listener;
    private FeatureCache fc7;
    private FeatureCache pool5;

    /**
     * @param model     the fine-tuned detector and its config (scales, proposals kept, regression IoU)
     * @param data      the training set (classes, files)
     * @param images    the images whose regions are cached
     * @param proposals the training images' proposals
     * @param dir       the cache directory (two caches inside)
     * @param listener  gets per-image progress
     */
    public RegionFeatureCaching(RegionFeatureDetector model, Dataset data, List<ImageRecord> images, ProposalSource proposals,
            Path dir, TrainingListener listener) {
        this.model = model;
        this.data = data;
        this.images = List.copyOf(images);
        this.proposals = proposals;
        this.dir = dir;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String description() {
        return "fc7 and pool5 features of every region of " + images.size() + " training images";
    }

    @Override
    public long size() {
        return images.size();
    }

    @Override
    public String unit() {
        return "images";
    }

    /**
     * The caches, opened for the network as it is now (its weights' fingerprint): the ones a
     * finished run of this stage filled.
     */
    public FeatureCache fc7() throws IOException {
        open();
        return fc7;
    }

    /** The pool5 cache; see {@link #fc7()}. */
    public FeatureCache pool5() throws IOException {
        open();
        return pool5;
    }

    /** Bytes of both caches on disk. */
    public long sizeBytes() throws IOException {
        return fc7().sizeBytes() + pool5().sizeBytes();
    }

    private void open() throws IOException {
        if (fc7 != null) return;
        String fingerprint = fingerprint(model);
        fc7 = FeatureCache.open(dir.resolve(FC7), model.config().roi().fc7(), FC7, fingerprint);
        pool5 = FeatureCache.open(dir.resolve(POOL5), model.pool5Size(), POOL5, fingerprint);
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener ignored) throws IOException {
        open();
        List<Long> ids = new ArrayList<>(images.size());
        for (ImageRecord im : images) ids.add(im.id());
        float minIoU = model.config().boxRegression().minIoU();
        ParameterStore ps = new ParameterStore(model.manager(), false);
        fc7.fill(ids, id -> extract(ps, data.image(id).orElseThrow(), minIoU),
                (done, total, eta, bytes) -> listener.onStageProgress(this, done, total, eta,
                        String.format(java.util.Locale.ROOT, "cache %.1f MB", (bytes + safeSize(pool5)) / 1e6)));
        return List.of();
    }

    private static long safeSize(FeatureCache cache) {
        try {
            return cache.sizeBytes();
        } catch (IOException e) {
            return 0;
        }
    }

    /** One image: pool5 rows go to their cache first, so an image in the fc7 cache is whole in both. */
    private FeatureCache.Rows extract(ParameterStore ps, ImageRecord record, float minIoU) throws IOException {
        TrainingImage im = TrainingImage.read(data, record, proposals, model.config().maxProposals());
        GroundTruth gt = im.groundTruth();
        float[] boxes = Boxes.concat(gt.boxes(), im.proposals().boxes());
        RegionFeatures f = model.regionFeatures(ps, im.pixels(), record, boxes, DetectorTraining.NORMALIZE);
        int[] regression = regressionRows(boxes, gt.boxes(), minIoU);
        pool5.put(record.id(), Boxes.select(boxes, regression), f.pool5Rows(regression));
        return new FeatureCache.Rows(boxes, f.fc7());
    }

    /**
     * A training image as the caching stages read it: decoded, its training ground truth
     * ({@link #groundTruth}) and its best {@code max} proposals, all in original pixels (proposals
     * clipped to the image, those wholly outside it dropped).
     */
    record TrainingImage(RgbImage pixels, GroundTruth groundTruth, Proposals proposals) {
        static TrainingImage read(Dataset data, ImageRecord record, ProposalSource source, int max) throws IOException {
            RgbImage decoded = ImageDecoder.decode(data.imagePath(record));
            BatchImage frame = BatchImage.atOriginalSize(record, decoded.width(), decoded.height());
            return new TrainingImage(decoded, RegionFeatureCaching.groundTruth(data, record),
                    source.proposalsFor(frame, () -> decoded, max));
        }
    }

    /** Rows whose best IoU with a ground-truth box is above {@code minIoU} (the ground truth itself included). */
    static int[] regressionRows(float[] boxes, float[] gtBoxes, float minIoU) {
        int r = Boxes.count(boxes);
        int g = Boxes.count(gtBoxes);
        if (g == 0) return new int[0];
        float[] iou = Boxes.iou(boxes, gtBoxes);
        int[] out = new int[r];
        int n = 0;
        for (int i = 0; i < r; i++) {
            float best = 0;
            for (int j = 0; j < g; j++) best = Math.max(best, iou[i * g + j]);
            if (best > minIoU) out[n++] = i;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * An image's training ground truth in original pixels, as the cache's first rows hold it: its
     * annotations without difficult and crowd objects, in order, with class indices 1..K.
     */
    public static GroundTruth groundTruth(Dataset data, ImageRecord record) {
        List<org.rcnn4j.data.Annotation> objects = record.annotations();
        float[] boxes = new float[4 * objects.size()];
        int[] classes = new int[objects.size()];
        int g = 0;
        for (org.rcnn4j.data.Annotation a : objects) {
            if (a.difficult() || a.crowd()) continue;
            System.arraycopy(a.box(), 0, boxes, 4 * g, 4);
            classes[g++] = data.classIndex(a.categoryId());
        }
        return new GroundTruth(Arrays.copyOf(boxes, 4 * g), Arrays.copyOf(classes, g));
    }

    /** SHA-256 of the parameters the features depend on: what the cached features were computed with. */
    static String fingerprint(RegionFeatureDetector model) {
        return sha256Of(model::saveFeatureWeights);
    }

    /** Writes parameters to a stream. */
    @FunctionalInterface
    interface WeightsWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** SHA-256 of what {@code writer} writes. */
    static String sha256Of(WeightsWriter writer) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(java.io.OutputStream.nullOutputStream(), sha))) {
                writer.write(out);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
