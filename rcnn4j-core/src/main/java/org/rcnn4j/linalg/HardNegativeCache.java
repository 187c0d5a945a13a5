package org.rcnn4j.linalg;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The training cache of one class's SVM under hard negative mining, as R-CNN trains its detectors
 * (Girshick et al. 2014, §2.3 "standard hard negative mining"; {@code rcnn_train.m}, one pass over
 * the images):
 * <ul>
 *   <li>positives (the class's ground-truth boxes) are fixed and never evicted;</li>
 *   <li>the first image adds all its negatives (boxes of IoU &lt; 0.3 with every ground truth of the
 *       class: chosen by the caller); each later image adds only the hard ones, scoring above
 *       {@value #HARD_THRESHOLD} under the current model, and none that the cache already holds;</li>
 *   <li>the SVM is retrained after the first image, whenever more than {@value #RETRAIN_LIMIT}
 *       negatives were added since the last retrain, and at the end of the pass — each time only if
 *       the cache holds negatives;</li>
 *   <li>after each retrain the easy negatives, scoring below {@value #EASY_THRESHOLD} under the new
 *       model, are evicted.</li>
 * </ul>
 * The thresholds sit just outside the margin: a negative scoring −1 is a support vector, so anything
 * above −1.0001 can change the solution, and a cached one must fall well below −1 (−1.2) before it
 * is dropped, so that negatives near the margin do not cycle in and out.
 *
 * <p><b>Protocol.</b> {@link #addPositives} (any time); for each image {@link #addImage}, then
 * {@code if (needsRetrain()) retrain(seed)}; after the last image {@link #finish}. Rows are copied in,
 * so the caller may reuse its buffers; memory is what the cache holds, (positives + negatives)·d
 * floats.
 *
 * <p>Each box is identified by (image, box), its index in the image's proposals: a box is never cached
 * twice. One cache per class and not thread-safe: classes can be mined in parallel, each by one thread.
 */
public final class HardNegativeCache {
    /** Later images add negatives scoring above this ({@code hard_thresh}). */
    public static final double HARD_THRESHOLD = -1.0001;
    /** After a retrain, cached negatives scoring below this are evicted ({@code evict_thresh}). */
    public static final double EASY_THRESHOLD = -1.2;
    /** Retrain when more than this many negatives were added since the last retrain ({@code retrain_limit}). */
    public static final int RETRAIN_LIMIT = 2000;

    /** One box of one image. */
    public record BoxKey(int image, int box) {}

    private final int d;
    private final LinearSvm.Parameters parameters;
    private final List<float[]> positives = new ArrayList<>();
    private final Set<BoxKey> positiveKeys = new HashSet<>();
    private List<float[]> negatives = new ArrayList<>();
    private List<BoxKey> negativeKeys = new ArrayList<>();
    private final Set<BoxKey> negativeKeySet = new HashSet<>();
    private LinearSvm model;
    private boolean seenFirstImage;
    private boolean lastWasFirstImage;
    private int addedSinceRetrain;
    private int retrains;

    /**
     * @param d          feature dimension
     * @param parameters the SVM's settings ({@link LinearSvm.Parameters#rcnn()} for R-CNN's)
     */
    public HardNegativeCache(int d, LinearSvm.Parameters parameters) {
        if (d < 1) throw new IllegalArgumentException("feature dimension " + d);
        this.d = d;
        this.parameters = parameters;
        this.model = LinearSvm.zero(d, parameters.biasFeature());
    }

    /**
     * Adds positives, fixed for the whole pass.
     *
     * @param boxes    the boxes' ids within the image, m of them
     * @param features m×d row-major
     * @return how many were new
     */
    public int addPositives(int image, int[] boxes, float[] features) {
        checkShape(boxes, features);
        int added = 0;
        for (int k = 0; k < boxes.length; k++) {
            if (positiveKeys.add(new BoxKey(image, boxes[k]))) {
                positives.add(row(features, k));
                added++;
            }
        }
        return added;
    }

    /**
     * Mines one image's negatives: all of them for the first image, afterwards those scoring above
     * {@value #HARD_THRESHOLD} under the current model; boxes already cached are skipped.
     *
     * @param boxes    the candidate negatives' ids within the image, m of them
     * @param features m×d row-major
     * @return how many negatives were added
     */
    public int addImage(int image, int[] boxes, float[] features) {
        checkShape(boxes, features);
        boolean first = !seenFirstImage;
        float[] scores = first ? null : model.scores(features);
        int added = 0;
        for (int k = 0; k < boxes.length; k++) {
            if (!first && !(scores[k] > HARD_THRESHOLD)) continue;
            BoxKey key = new BoxKey(image, boxes[k]);
            if (negativeKeySet.add(key)) {
                negatives.add(row(features, k));
                negativeKeys.add(key);
                added++;
            }
        }
        seenFirstImage = true;
        lastWasFirstImage = first;
        addedSinceRetrain += added;
        return added;
    }

    /**
     * Whether {@code rcnn_train.m} would retrain now: the cache holds negatives and either the image just
     * added was the first, or more than {@value #RETRAIN_LIMIT} negatives came in since the last retrain.
     */
    public boolean needsRetrain() {
        return !negatives.isEmpty() && (lastWasFirstImage || addedSinceRetrain > RETRAIN_LIMIT);
    }

    /**
     * Trains the SVM on every cached row (positives first, as {@code rcnn_train.m} stacks them), then
     * evicts the negatives that score below {@value #EASY_THRESHOLD} under the new model.
     *
     * @param seed seeds the solver's coordinate order
     * @return the new model, also {@link #model()} from now on
     */
    public LinearSvm retrain(long seed) {
        int n = positives.size() + negatives.size();
        float[][] rows = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < positives.size(); i++) {
            rows[i] = positives.get(i);
            labels[i] = 1;
        }
        for (int i = 0; i < negatives.size(); i++) {
            rows[positives.size() + i] = negatives.get(i);
            labels[positives.size() + i] = -1;
        }
        model = LinearSvm.train(rows, labels, d, parameters, new SplittableRandom(seed));
        evictEasyNegatives();
        addedSinceRetrain = 0;
        lastWasFirstImage = false;
        retrains++;
        return model;
    }

    /**
     * Ends the pass: retrains if the cache holds negatives ({@code rcnn_train.m} retrains at the last
     * image), and returns the final model (the zero model if no negative was ever cached).
     */
    public LinearSvm finish(long seed) {
        return negatives.isEmpty() ? model : retrain(seed);
    }

    private void evictEasyNegatives() {
        List<float[]> keptRows = new ArrayList<>();
        List<BoxKey> keptKeys = new ArrayList<>();
        for (int i = 0; i < negatives.size(); i++) {
            float[] row = negatives.get(i);
            if (model.score(row) < EASY_THRESHOLD) {
                negativeKeySet.remove(negativeKeys.get(i));
            } else {
                keptRows.add(row);
                keptKeys.add(negativeKeys.get(i));
            }
        }
        negatives = keptRows;
        negativeKeys = keptKeys;
    }

    /** The latest model: the zero model (all scores 0) before the first retrain. */
    public LinearSvm model() {
        return model;
    }

    public int positives() {
        return positives.size();
    }

    public int negatives() {
        return negatives.size();
    }

    /** Rows held, positives and negatives. */
    public int size() {
        return positives.size() + negatives.size();
    }

    public int addedSinceRetrain() {
        return addedSinceRetrain;
    }

    /** Retrains so far. */
    public int retrains() {
        return retrains;
    }

    public boolean containsNegative(int image, int box) {
        return negativeKeySet.contains(new BoxKey(image, box));
    }

    /** The cached negatives' ids, in cache order. */
    public List<BoxKey> negativeKeys() {
        return List.copyOf(negativeKeys);
    }

    /** Scores of the cached negatives under the current model, in the order of {@link #negativeKeys()}. */
    public float[] negativeScores() {
        float[] s = new float[negatives.size()];
        for (int i = 0; i < s.length; i++) s[i] = model.score(negatives.get(i));
        return s;
    }

    private void checkShape(int[] boxes, float[] features) {
        if ((long) boxes.length * d != features.length) {
            throw new IllegalArgumentException(boxes.length + " boxes need " + (long) boxes.length * d
                    + " feature values (d = " + d + "), got " + features.length);
        }
    }

    private float[] row(float[] features, int k) {
        float[] r = new float[d];
        System.arraycopy(features, k * d, r, 0, d);
        return r;
    }
}
