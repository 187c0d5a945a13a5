package org.rcnn4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.linalg.HardNegativeCache.BoxKey;

class HardNegativeCacheTest {
    private static final int D = 16;

    /** One image's candidate negatives (boxes of IoU &lt; 0.3 with the class): ids and m×D row-major features. */
    record Image(int id, int[] boxes, float[] features) {
        float[] row(int k) {
            float[] r = new float[D];
            System.arraycopy(features, k * D, r, 0, D);
            return r;
        }
    }

    /**
     * fc7-like rows (non-negative, mean norm about 20 as R-CNN scales them): positives lean along a class direction;
     * negatives lean along it by a random strength, so that a few are hard and most are easy.
     */
    static final class Scene {
        final SplittableRandom random;
        final double[] direction = new double[D];

        Scene(long seed) {
            random = new SplittableRandom(seed);
            // The class shows in a quarter of the units, as a few fc7 units fire for one class.
            for (int j = 0; j < D; j++) direction[j] = j % 4 == 0 ? 1 + random.nextDouble() : 0;
        }

        float[] rows(int m, boolean positive) {
            float[] x = new float[m * D];
            for (int i = 0; i < m; i++) {
                double strength = positive ? 1 : 0.6 * Math.pow(random.nextDouble(), 8);
                for (int j = 0; j < D; j++) x[i * D + j] = (float) (8 * Math.max(0, 0.5 * random.nextGaussian() + strength * direction[j]));
            }
            return x;
        }

        Image image(int id, int m) {
            int[] boxes = new int[m];
            for (int k = 0; k < m; k++) boxes[k] = k;
            return new Image(id, boxes, rows(m, false));
        }
    }

    @Test
    void onePassFollowsRcnnTrainsRules() {
        Scene scene = new Scene(1);
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        int positives = 150;
        cache.addPositives(-1, ids(positives), scene.rows(positives, true));
        Map<BoxKey, float[]> features = new HashMap<>();
        int images = 120;
        int expectedSinceRetrain = 0;
        int limitRetrains = 0;
        int easySkipped = 0;
        int evicted = 0;
        for (int id = 0; id < images; id++) {
            Image image = scene.image(id, 150);
            for (int k = 0; k < image.boxes().length; k++) features.put(new BoxKey(id, k), image.row(k));
            float[] before = cache.model().scores(image.features());
            int added = cache.addImage(id, image.boxes(), image.features());
            int expected = 0;
            for (int k = 0; k < image.boxes().length; k++) {
                // The first image adds everything; later ones only what scores above −1.0001 under the model so far.
                boolean hard = id == 0 || before[k] > HardNegativeCache.HARD_THRESHOLD;
                assertEquals(hard, cache.containsNegative(id, k), "image " + id + " box " + k + " scored " + before[k]);
                if (hard) expected++;
                else easySkipped++;
            }
            assertEquals(expected, added);
            expectedSinceRetrain += added;
            assertEquals(expectedSinceRetrain, cache.addedSinceRetrain());
            boolean due = id == 0 || expectedSinceRetrain > HardNegativeCache.RETRAIN_LIMIT;
            assertEquals(due, cache.needsRetrain(), "image " + id + ", " + expectedSinceRetrain + " added since the last retrain");
            if (cache.needsRetrain()) {
                if (id > 0) limitRetrains++;
                evicted += retrainAndCheck(cache, features, id, positives);
                expectedSinceRetrain = 0;
            }
        }
        int retrains = cache.retrains();
        evicted += retrainAndCheckAtEnd(cache, features, positives);
        assertEquals(retrains + 1, cache.retrains());
        System.out.printf("Hard negative mining over %d images: %d retrains (%d on the limit), %d easy negatives skipped,"
                + " %d evicted, %d negatives cached%n", images, cache.retrains(), limitRetrains, easySkipped, evicted, cache.negatives());
        // The data exercise every rule: retrains on the limit, easy negatives skipped, cached ones evicted.
        assertTrue(limitRetrains >= 1, "no retrain on the limit");
        assertTrue(easySkipped > 1000, easySkipped + " easy negatives skipped");
        assertTrue(evicted > 100, evicted + " evicted");
        assertEquals(positives + cache.negatives(), cache.size());
    }

    /** One retrain: positives kept, every cached negative at or above −1.2 after, every evicted one below it. */
    private static int retrainAndCheck(HardNegativeCache cache, Map<BoxKey, float[]> features, long seed, int positives) {
        Set<BoxKey> before = new HashSet<>(cache.negativeKeys());
        LinearSvm model = cache.retrain(seed);
        return checkAfterRetrain(cache, model, before, features, positives);
    }

    private static int retrainAndCheckAtEnd(HardNegativeCache cache, Map<BoxKey, float[]> features, int positives) {
        Set<BoxKey> before = new HashSet<>(cache.negativeKeys());
        LinearSvm model = cache.finish(99);
        return checkAfterRetrain(cache, model, before, features, positives);
    }

    private static int checkAfterRetrain(HardNegativeCache cache, LinearSvm model, Set<BoxKey> before,
                                         Map<BoxKey, float[]> features, int positives) {
        assertSame(model, cache.model());
        assertEquals(0, cache.addedSinceRetrain());
        assertFalse(cache.needsRetrain());
        assertEquals(positives, cache.positives(), "positives are never evicted");
        Set<BoxKey> after = new HashSet<>(cache.negativeKeys());
        assertTrue(before.containsAll(after), "a retrain adds no negatives");
        for (BoxKey key : before) {
            float score = model.score(features.get(key));
            assertEquals(score >= HardNegativeCache.EASY_THRESHOLD, after.contains(key), key + " scored " + score);
        }
        for (float s : cache.negativeScores()) assertTrue(s >= HardNegativeCache.EASY_THRESHOLD, "cached negative scores " + s);
        return before.size() - after.size();
    }

    @Test
    void positivesStayEvenWhenTheyScoreAsEasyNegatives() {
        Scene scene = new Scene(2);
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        cache.addPositives(0, ids(60), scene.rows(60, true));
        // A positive that looks like a clear negative (a mislabelled box): the SVM gives up on it.
        float[] outlier = new float[D];
        cache.addPositives(1, new int[] {0}, outlier);
        cache.addImage(2, ids(400), scene.image(2, 400).features());
        LinearSvm model = cache.finish(5);
        assertTrue(model.score(outlier) < HardNegativeCache.EASY_THRESHOLD, "outlier scores " + model.score(outlier));
        assertEquals(61, cache.positives());
        assertEquals(0, cache.addPositives(1, new int[] {0}, outlier), "a positive is added once");
    }

    @Test
    void aBoxIsCachedOnce() {
        Scene scene = new Scene(3);
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        Image image = scene.image(0, 50);
        assertEquals(50, cache.addImage(0, image.boxes(), image.features()));
        // The same image again (before any retrain, so under the zero model every box is hard): nothing new.
        assertEquals(0, cache.addImage(0, image.boxes(), image.features()));
        assertEquals(50, cache.negatives());
        assertEquals(50, cache.addedSinceRetrain());
        // Same box ids in another image are other boxes.
        assertEquals(50, cache.addImage(1, image.boxes(), image.features()));
    }

    @Test
    void firstImageWithoutNegativesLeavesTheZeroModelToJudgeTheNext() {
        // rcnn_train.m: an empty first image still ends "first time"; the next image is mined against the zero model,
        // under which every score is 0 > −1.0001, so all its negatives come in, with no retrain until the limit or the end.
        Scene scene = new Scene(4);
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        cache.addPositives(0, ids(20), scene.rows(20, true));
        assertEquals(0, cache.addImage(0, new int[0], new float[0]));
        assertFalse(cache.needsRetrain());
        assertEquals(300, cache.addImage(1, ids(300), scene.image(1, 300).features()));
        assertFalse(cache.needsRetrain());
        assertEquals(0, cache.retrains());
        cache.finish(1);
        assertEquals(1, cache.retrains());
    }

    @Test
    void finishWithoutNegativesKeepsTheZeroModel() {
        Scene scene = new Scene(5);
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        cache.addPositives(0, ids(10), scene.rows(10, true));
        LinearSvm model = cache.finish(1);
        assertEquals(0, cache.retrains());
        assertEquals(0, model.score(scene.rows(1, true)));
    }

    @Test
    void miningEndsNearTheSvmOfAllNegatives() {
        // Hard negative mining keeps what can be a support vector, so its final model should nearly minimise the
        // objective over all the negatives it ever saw (Felzenszwalb et al. 2010, §4.4); one pass comes close.
        Scene scene = new Scene(6);
        LinearSvm.Parameters p = LinearSvm.Parameters.rcnn();
        HardNegativeCache cache = new HardNegativeCache(D, p);
        int positives = 100;
        float[] pos = scene.rows(positives, true);
        cache.addPositives(0, ids(positives), pos);
        List<float[]> all = new ArrayList<>();
        for (int k = 0; k < positives; k++) all.add(Arrays.copyOfRange(pos, k * D, (k + 1) * D));
        for (int id = 0; id < 60; id++) {
            Image image = scene.image(id, 150);
            for (int k = 0; k < 150; k++) all.add(image.row(k));
            cache.addImage(id, image.boxes(), image.features());
            if (cache.needsRetrain()) cache.retrain(id);
        }
        LinearSvm mined = cache.finish(7);
        float[][] rows = all.toArray(new float[0][]);
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) labels[i] = i < positives ? 1 : -1;
        LinearSvm full = LinearSvm.train(rows, labels, D, p.withEps(1e-4), new SplittableRandom(8));
        double minedObjective = mined.primalObjective(rows, labels, p);
        double lowerBound = full.training().orElseThrow().dualObjective();
        System.out.printf("Hard negative mining: %d of %d negatives cached, objective on all %.6f, optimum ≥ %.6f%n",
                cache.negatives(), rows.length - positives, minedObjective, lowerBound);
        assertTrue(cache.negatives() < (rows.length - positives) / 4, "the cache holds a fraction of the negatives");
        assertTrue(minedObjective < 1.02 * lowerBound, minedObjective + " vs optimum ≥ " + lowerBound);
    }

    @Test
    void shapesAreChecked() {
        HardNegativeCache cache = new HardNegativeCache(D, LinearSvm.Parameters.rcnn());
        assertThrows(IllegalArgumentException.class, () -> cache.addImage(0, new int[2], new float[D]));
        assertThrows(IllegalArgumentException.class, () -> cache.addPositives(0, new int[1], new float[D + 1]));
        assertThrows(IllegalArgumentException.class, () -> new HardNegativeCache(0, LinearSvm.Parameters.rcnn()));
    }

    private static int[] ids(int m) {
        int[] ids = new int[m];
        for (int k = 0; k < m; k++) ids[k] = k;
        return ids;
    }
}
