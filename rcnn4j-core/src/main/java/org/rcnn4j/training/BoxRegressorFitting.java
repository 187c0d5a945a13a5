package org.rcnn4j.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.BoxRegressionConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.linalg.RidgeRegression;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.roiheads.ClassBoxRegressors;

/**
 * R-CNN's bounding-box regression (Appendix C; {@code rcnn_train_bbox_regressor.m}): from the cached
 * pool5 features, scaled to a mean L2 norm of 20, one ridge regressor per class. Its pairs are the
 * regions whose best-overlapping ground-truth box is of the class, with IoU above the threshold
 * (0.6), the targets {@code (tx, ty, tw, th)} of {@link BoxCoder#rcnn()} towards that box, centred
 * and whitened inside {@link RidgeRegression}. A class without pairs keeps its proposals' boxes (and
 * all classes do when no region has a pair).
 * The regressors go into the model ({@link ClassBoxRegressors}) with their feature scale.
 */
public final class BoxRegressorFitting implements TrainingStage {
    private final RegionFeatureCaching caches;
    private final ClassBoxRegressors regressors;
    private final BoxRegressionConfig config;
    private final Dataset data;
    private final List<ImageRecord> images;
    private final TrainingListener listener;
    private final int[] pairs;

    /**
     * @param caches     the feature caching stage, whose pool5 cache the regressors fit
     * @param regressors where the fitted regressors go
     * @param images     the cached images
     */
    public BoxRegressorFitting(RegionFeatureCaching caches, ClassBoxRegressors regressors, BoxRegressionConfig config,
            Dataset data, List<ImageRecord> images, TrainingListener listener) {
        this.caches = caches;
        this.regressors = regressors;
        this.config = config;
        this.data = data;
        this.images = List.copyOf(images);
        this.listener = listener;
        this.pairs = new int[data.numClasses()];
    }

    @Override
    public String name() {
        return "box-regression";
    }

    @Override
    public String description() {
        return "one ridge box regressor per class on pool5 (lambda " + config.lambda() + ", IoU > " + config.minIoU() + ")";
    }

    @Override
    public long size() {
        return data.numClasses();
    }

    @Override
    public String unit() {
        return "classes";
    }

    /** Training pairs of each class (index 0 is class 1) after the run. */
    public int[] pairs() {
        return pairs.clone();
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener ignored) throws IOException {
        FeatureCache pool5 = caches.pool5();
        List<ImageRecord> withPairs = nonEmpty(pool5);
        if (withPairs.isEmpty()) {
            // No region overlaps a ground-truth box enough: nothing to fit; detection keeps the proposals' boxes.
            listener.onStageProgress(this, data.numClasses(), data.numClasses(), 0, "no region of IoU > " + config.minIoU()
                    + " with a ground-truth box: no regressors");
            return List.of();
        }
        float scale = SvmTraining.estimateScale(pool5, withPairs, FeatureCache.TARGET_NORM);
        pool5.setScale(scale);
        int k = data.numClasses();
        int d = pool5.d();
        List<float[]> features = new ArrayList<>(k);
        List<float[]> targets = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            features.add(new float[0]);
            targets.add(new float[0]);
        }
        int[] n = new int[k];
        BoxCoder coder = BoxCoder.rcnn();
        for (ImageRecord record : images) {
            FeatureCache.Rows rows = pool5.get(record.id());
            GroundTruth gt = RegionFeatureCaching.groundTruth(data, record);
            int r = rows.count();
            int g = gt.size();
            if (r == 0 || g == 0) continue;
            float[] iou = Boxes.iou(rows.boxes(), gt.boxes());
            for (int i = 0; i < r; i++) {
                int best = 0;
                for (int j = 1; j < g; j++) if (iou[i * g + j] > iou[i * g + best]) best = j;
                if (!(iou[i * g + best] > config.minIoU())) continue;
                int c = gt.classes()[best] - 1;
                float[] box = Arrays.copyOfRange(rows.boxes(), 4 * i, 4 * i + 4);
                float[] t = coder.encode(box, Arrays.copyOfRange(gt.boxes(), 4 * best, 4 * best + 4));
                features.set(c, grow(features.get(c), n[c] * d, d));
                System.arraycopy(rows.features(), i * d, features.get(c), n[c] * d, d);
                targets.set(c, grow(targets.get(c), n[c] * 4, 4));
                System.arraycopy(t, 0, targets.get(c), n[c] * 4, 4);
                n[c]++;
            }
        }
        List<RidgeRegression> fitted = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            fitted.add(n[c] == 0 ? null : RidgeRegression.fit(Arrays.copyOf(features.get(c), n[c] * d), n[c], d,
                    Arrays.copyOf(targets.get(c), n[c] * 4), 4, config.lambda()));
            features.set(c, null);
            pairs[c] = n[c];
            listener.onStageProgress(this, c + 1, k, Double.NaN, n[c] + " pairs for class " + (c + 1));
        }
        regressors.set(scale, d, fitted);
        return List.of();
    }

    /** The images with at least one cached row (the scale needs rows). */
    private List<ImageRecord> nonEmpty(FeatureCache pool5) throws IOException {
        List<ImageRecord> out = new ArrayList<>();
        for (ImageRecord im : images) if (pool5.getUnscaled(im.id()).count() > 0) out.add(im);
        return out;
    }

    /** {@code a}, or a larger copy when {@code used + more} values do not fit. */
    private static float[] grow(float[] a, int used, int more) {
        if (used + more <= a.length) return a;
        return Arrays.copyOf(a, Math.max(used + more, 2 * a.length));
    }
}
