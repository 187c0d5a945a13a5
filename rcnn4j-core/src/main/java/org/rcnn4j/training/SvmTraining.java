package org.rcnn4j.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.SvmConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.linalg.HardNegativeCache;
import org.rcnn4j.linalg.LinearSvm;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.roiheads.ClassSvms;

/**
 * R-CNN's SVM training (§2.3 and Appendix B; {@code rcnn_train.m}): from the cached fc7 features,
 * scaled to a mean L2 norm of 20 ({@code rcnn_feature_stats.m}, estimated on a sample of the cache),
 * one linear SVM per class. Positives are the class's ground-truth boxes, negatives the regions of
 * IoU below 0.3 with every ground-truth box of the class, mined by one pass over the images with
 * {@link HardNegativeCache}. The classes are mined in parallel, each by one thread, reading each
 * image's features once. The SVMs go into the model ({@link ClassSvms}) with their feature scale.
 */
public final class SvmTraining implements TrainingStage {
    /** Images the feature scale is estimated on, spread over the list (the reference samples too). */
    static final int SCALE_SAMPLE_IMAGES = 200;

    private final RegionFeatureCaching caches;
    private final ClassSvms svms;
    private final SvmConfig config;
    private final Dataset data;
    private final List<ImageRecord> images;
    private final long seed;
    private final TrainingListener listener;
    private final List<HardNegativeCache> trained = new ArrayList<>();

    /**
     * @param caches   the feature caching stage, whose fc7 cache the SVMs train on
     * @param svms     where the trained SVMs go
     * @param images   the cached images, in the order of the mining pass
     * @param seed     seeds each solver's coordinate order (per class and retrain)
     */
    public SvmTraining(RegionFeatureCaching caches, ClassSvms svms, SvmConfig config, Dataset data, List<ImageRecord> images,
            long seed, TrainingListener listener) {
        this.caches = caches;
        this.svms = svms;
        this.config = config;
        this.data = data;
        this.images = List.copyOf(images);
        this.seed = seed;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "svms";
    }

    @Override
    public String description() {
        return "one linear SVM per class, hard negatives mined over " + images.size() + " images";
    }

    @Override
    public long size() {
        return images.size();
    }

    @Override
    public String unit() {
        return "images";
    }

    /** Each class's mining cache after the run (empty before): its positives, negatives and retrains. */
    public List<HardNegativeCache> caches() {
        return trained;
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener ignored) throws IOException {
        FeatureCache fc7 = caches.fc7();
        float scale = estimateScale(fc7, images, config.featureNorm());
        fc7.setScale(scale);
        int k = data.numClasses();
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn().withC(config.c()).withPositiveWeight(config.positiveWeight())
                .withBiasFeature(config.biasFeature());
        List<HardNegativeCache> mining = new ArrayList<>(k);
        for (int c = 0; c < k; c++) mining.add(new HardNegativeCache(fc7.d(), p));
        // rcnn_train.m collects every positive first, then makes one pass for the negatives.
        for (int i = 0; i < images.size(); i++) {
            ImageRecord record = images.get(i);
            FeatureCache.Rows rows = fc7.get(record.id());
            GroundTruth gt = RegionFeatureCaching.groundTruth(data, record);
            for (int c = 1; c <= k; c++) {
                int[] own = rowsOfClass(gt.classes(), c);
                if (own.length > 0) mining.get(c - 1).addPositives(i, own, Boxes.selectRows(rows.features(), fc7.d(), own));
            }
        }
        long start = System.nanoTime();
        for (int i = 0; i < images.size(); i++) {
            ImageRecord record = images.get(i);
            FeatureCache.Rows rows = fc7.get(record.id());
            GroundTruth gt = RegionFeatureCaching.groundTruth(data, record);
            int image = i;
            IntStream.rangeClosed(1, k).parallel().forEach(c -> {
                HardNegativeCache cache = mining.get(c - 1);
                int[] negatives = negatives(rows.boxes(), gt, c, config.negativeIoU());
                cache.addImage(image, negatives, Boxes.selectRows(rows.features(), fc7.d(), negatives));
                if (cache.needsRetrain()) cache.retrain(seedOf(c, cache.retrains()));
            });
            double perImage = (System.nanoTime() - start) / 1e9 / (i + 1);
            listener.onStageProgress(this, i + 1, images.size(), perImage * (images.size() - i - 1), cacheSummary(mining));
        }
        List<LinearSvm> models = new ArrayList<>(k);
        IntStream.rangeClosed(1, k).parallel().forEach(c -> mining.get(c - 1).finish(seedOf(c, mining.get(c - 1).retrains())));
        for (HardNegativeCache cache : mining) models.add(cache.model());
        svms.set(scale, models);
        trained.clear();
        trained.addAll(mining);
        return List.of();
    }

    private long seedOf(int classIndex, int retrain) {
        return seed ^ (classIndex * 0x9E3779B97F4A7C15L) ^ ((long) retrain << 32);
    }

    private static String cacheSummary(List<HardNegativeCache> mining) {
        long pos = 0;
        long neg = 0;
        for (HardNegativeCache c : mining) {
            pos += c.positives();
            neg += c.negatives();
        }
        return String.format(Locale.ROOT, "%d positives, %d hard negatives cached", pos, neg);
    }

    /** The rows (ground-truth rows come first in the cache) whose class is {@code c}. */
    static int[] rowsOfClass(int[] classes, int c) {
        return IntStream.range(0, classes.length).filter(i -> classes[i] == c).toArray();
    }

    /** Rows of IoU below {@code maxIoU} with every ground-truth box of class {@code c}: the class's negatives. */
    static int[] negatives(float[] boxes, GroundTruth gt, int c, float maxIoU) {
        int[] own = rowsOfClass(gt.classes(), c);
        int r = Boxes.count(boxes);
        if (own.length == 0) return IntStream.range(0, r).toArray();
        float[] iou = Boxes.iou(boxes, Boxes.select(gt.boxes(), own));
        int[] out = new int[r];
        int n = 0;
        for (int i = 0; i < r; i++) {
            float best = 0;
            for (int j = 0; j < own.length; j++) best = Math.max(best, iou[i * own.length + j]);
            if (best < maxIoU) out[n++] = i;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * {@code targetNorm} over the mean L2 norm of the unscaled rows of up to
     * {@value #SCALE_SAMPLE_IMAGES} images spread evenly over {@code images}.
     */
    static float estimateScale(FeatureCache cache, List<ImageRecord> images, double targetNorm) throws IOException {
        int n = Math.min(SCALE_SAMPLE_IMAGES, images.size());
        List<float[]> sample = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = images.get((int) ((long) i * images.size() / n)).id();
            sample.add(cache.getUnscaled(id).features());
        }
        return (float) (FeatureCache.normScale(sample, cache.d()) * targetNorm / FeatureCache.TARGET_NORM);
    }
}
