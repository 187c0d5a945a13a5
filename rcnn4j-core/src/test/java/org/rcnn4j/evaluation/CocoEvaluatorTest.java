package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

/** Hand-checkable cases of {@link CocoEvaluator}; the arithmetic is in the comments. */
class CocoEvaluatorTest {
    private static final double EPS = 1e-12;
    private static final List<Category> CATS = List.of(new Category(3, "cat"), new Category(90, "dog"));

    private static Dataset dataset(ImageRecord... images) {
        return new Dataset(null, List.of(), CATS, List.of(images));
    }

    private static ImageRecord image(long id, Annotation... anns) {
        return new ImageRecord(id, "im" + id, "im" + id + ".png", 640, 480, List.of(anns));
    }

    private static Annotation box(long id, int cat, float x1, float y1, float x2, float y2) {
        return Annotation.of(id, cat, x1, y1, x2, y2);
    }

    private static Annotation crowd(long id, int cat, float x1, float y1, float x2, float y2) {
        return new Annotation(id, cat, x1, y1, x2, y2, (double) (x2 - x1) * (y2 - y1), false, true);
    }

    private static Detection det(long image, int cat, float x1, float y1, float x2, float y2, float score) {
        return new Detection(image, cat, x1, y1, x2, y2, score);
    }

    private static Detection perfect(long image, Annotation a, float score) {
        return det(image, a.categoryId(), a.x1(), a.y1(), a.x2(), a.y2(), score);
    }

    @Test
    void perfectDetectorScoresOneWhereThereIsGroundTruth() {
        Annotation small = box(1, 3, 10, 10, 30, 30);      // 400 px²
        Annotation medium = box(2, 90, 100, 100, 150, 150); // 2500 px²
        Dataset gt = dataset(image(1, small, medium), image(2));
        CocoEvaluation e = CocoEvaluator.evaluate(gt, List.of(perfect(1, small, 0.9f), perfect(1, medium, 0.8f)));
        // no large objects: APl and ARl are -1; every other cell is 1
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1}, e.stats(), EPS);
        assertEquals(1, e.classAp("dog"), EPS);
        assertEquals(1, e.curve("cat").ap(), EPS);
        assertEquals(101, e.curve("cat").recall().length);
        assertEquals(0.37, e.curve("cat").recall()[37], EPS);
    }

    @Test
    void noDetectionsScoreZeroAndClassesWithoutGroundTruthMinusOne() {
        Dataset gt = dataset(image(1, box(1, 3, 0, 0, 200, 200)));
        CocoEvaluation e = CocoEvaluator.evaluate(gt, List.of());
        assertArrayEquals(new double[] {0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1, 0}, e.stats(), EPS);
        assertEquals(0, e.classAp("cat"), EPS);
        assertEquals(-1, e.classAp("dog"), EPS);
        assertEquals(0, e.curve("dog").precision().length);
        assertEquals(-1, e.curve("dog").ap(), EPS);
    }

    @Test
    void emptyDatasetGivesMinusOneEverywhere() {
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(), List.of());
        double[] minusOnes = new double[12];
        Arrays.fill(minusOnes, -1);
        assertArrayEquals(minusOnes, e.stats(), EPS);
    }

    @Test
    void detectionsOnACrowdOnlyImageNeitherHelpNorHurt() {
        Annotation person = box(1, 3, 0, 0, 50, 50);
        Dataset gt = dataset(image(1, person), image(2, crowd(2, 3, 100, 100, 300, 300)));
        List<Detection> dets = new ArrayList<>();
        dets.add(perfect(1, person, 0.5f));
        // higher scored detections inside the crowd: IoU = own area / own area = 1, ignored
        for (int i = 0; i < 5; i++) dets.add(det(2, 3, 110 + 20 * i, 120, 130 + 20 * i, 160, 0.9f));
        assertEquals(1, CocoEvaluator.evaluate(gt, dets).ap(), EPS);
        // a crowd-only dataset has nothing to find: every cell is -1
        Dataset crowdOnly = dataset(image(2, crowd(2, 3, 100, 100, 300, 300)));
        assertEquals(-1, CocoEvaluator.evaluate(crowdOnly, dets.subList(1, 6)).ap(), EPS);
    }

    @Test
    void crowdOverlapIsIntersectionOverDetectionArea() {
        Dataset gt = dataset(image(1, box(1, 3, 0, 0, 40, 40)), image(2, crowd(2, 3, 0, 0, 100, 100)));
        // 50x100 box, half inside the crowd: IoU 0.5 -> ignored at IoU 0.50 only, a false positive above
        Detection half = det(2, 3, 50, 0, 150, 100, 0.9f);
        Detection hit = det(1, 3, 0, 0, 40, 40, 0.5f);
        CocoEvaluation e = CocoEvaluator.evaluate(gt, List.of(half, hit));
        assertEquals(1, e.ap50(), EPS);
        // IoU 0.55..0.95: FP then TP, envelope 1/2 at every recall point
        assertEquals((1 + 9 * 0.5) / 10, e.ap(), EPS);
    }

    @Test
    void falsePositiveAboveATruePositiveHalvesPrecision() {
        Annotation a = box(1, 3, 0, 0, 100, 100);
        Dataset gt = dataset(image(1, a));
        // ranked: FP (tp 0, fp 1), TP (tp 1, fp 1): precision 0, 1/2 -> envelope 1/2 at all 101 points
        CocoEvaluation e = CocoEvaluator.evaluate(gt, List.of(det(1, 3, 300, 300, 400, 400, 0.9f), perfect(1, a, 0.1f)));
        assertEquals(0.5, e.ap(), EPS);
        assertEquals(1, e.ar100(), EPS);
        assertEquals(0, e.ar1(), EPS); // the one allowed detection is the false positive
    }

    @Test
    void apCountsOnlyTheThresholdsTheIouReaches() {
        Annotation a = box(1, 3, 0, 0, 100, 100);
        // shifted 25 px: intersection 7500, union 12500, IoU 0.6 -> true positive at 0.50, 0.55, 0.60
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(1, a)), List.of(det(1, 3, 25, 0, 125, 100, 1f)));
        assertEquals(0.3, e.ap(), EPS);
        assertEquals(0.3, e.ar100(), EPS);
        assertEquals(1, e.ap50(), EPS);
        assertEquals(0, e.ap75(), EPS);
    }

    @Test
    void maxDetsCutsEachImageByScore() {
        Annotation a = box(1, 3, 0, 0, 100, 100);
        Annotation b = box(2, 3, 200, 0, 300, 100);
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(1, a, b)), List.of(perfect(1, a, 0.2f), perfect(1, b, 0.7f)));
        assertEquals(0.5, e.ar1(), EPS);
        assertEquals(1, e.ar10(), EPS);
    }

    @Test
    void onlyTheHundredBestDetectionsOfAnImageCount() {
        List<Annotation> anns = new ArrayList<>();
        List<Detection> dets = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Annotation a = box(i + 1, 3, 10 * (i % 15) * 4, 40 * (i / 15), 10 * (i % 15) * 4 + 30, 40 * (i / 15) + 30);
            anns.add(a);
            dets.add(perfect(7, a, 1f - i / 1000f));
        }
        Collections.shuffle(dets, new Random(3));
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(7, anns.toArray(new Annotation[0]))), dets);
        // 100 of 150 found with precision 1: recall 2/3 reaches the 67 points 0.00..0.66
        assertEquals(67.0 / 101, e.ap(), EPS);
        assertEquals(100.0 / 150, e.ar100(), EPS);
        assertEquals(1.0 / 150, e.ar1(), EPS);
    }

    @Test
    void areaRangesIncludeBothEndsAndUseTheAnnotationArea() {
        Annotation edge = box(1, 3, 0, 0, 32, 32); // exactly 32²: small and medium
        Annotation segment = new Annotation(2, 90, 100, 100, 200, 200, 900, false, false); // large box, small area
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(1, edge, segment)),
                List.of(perfect(1, edge, 0.9f), perfect(1, segment, 0.9f)));
        assertEquals(1, e.apSmall(), EPS);
        assertEquals(1, e.apMedium(), EPS);
        assertEquals(-1, e.apLarge(), EPS); // the 100x100 box counts by its 900 px² area
    }

    @Test
    void unmatchedDetectionsOutsideTheAreaRangeAreIgnored() {
        Annotation small = box(1, 3, 0, 0, 20, 20);
        // a large false positive ranked first: a false positive for "all", ignored for "small"
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(1, small)),
                List.of(det(1, 3, 200, 200, 400, 400, 0.9f), perfect(1, small, 0.5f)));
        assertEquals(0.5, e.ap(), EPS);
        assertEquals(1, e.apSmall(), EPS);
    }

    @Test
    void difficultObjectsAreIgnoredOnceWithOrdinaryIou() {
        Annotation easy = box(1, 3, 0, 0, 100, 100);
        Annotation hard = new Annotation(2, 3, 200, 0, 300, 100, 10000, true, false);
        List<Detection> dets = List.of(perfect(1, hard, 0.9f), perfect(1, easy, 0.8f));
        CocoEvaluation e = CocoEvaluator.evaluate(dataset(image(1, easy, hard)), dets);
        assertEquals(1, e.ap(), EPS); // the detection of the difficult object is ignored, not a FP
        // unlike a crowd, it is matched once: a second detection on it is a false positive
        List<Detection> twice = List.of(perfect(1, hard, 0.9f), perfect(1, hard, 0.85f), perfect(1, easy, 0.8f));
        assertEquals(0.5, CocoEvaluator.evaluate(dataset(image(1, easy, hard)), twice).ap(), EPS);
        // ordinary IoU: a box a quarter its size inside it overlaps by 0.25, below every threshold
        List<Detection> inside = List.of(det(1, 3, 200, 0, 250, 50, 0.9f), perfect(1, easy, 0.8f));
        assertEquals(0.5, CocoEvaluator.evaluate(dataset(image(1, easy, hard)), inside).ap(), EPS);
    }

    @Test
    void resultDoesNotDependOnImageOrDetectionOrder() {
        Random rnd = new Random(5);
        List<ImageRecord> images = new ArrayList<>();
        List<Detection> dets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<Annotation> anns = new ArrayList<>();
            for (int j = 0; j < 4; j++) {
                float x = rnd.nextInt(500);
                float y = rnd.nextInt(400);
                float s = 8 + rnd.nextInt(150);
                Annotation a = box(10L * i + j + 1, j % 2 == 0 ? 3 : 90, x, y, x + s, y + s);
                anns.add(a);
                dets.add(det(i, a.categoryId(), x + rnd.nextInt(9) - 4, y + rnd.nextInt(9) - 4, x + s, y + s, rnd.nextFloat()));
                dets.add(det(i, 3, rnd.nextInt(500), rnd.nextInt(400), 600, 470, rnd.nextFloat()));
            }
            images.add(new ImageRecord(i, "im" + i, "im" + i, 640, 480, anns));
        }
        double[] stats = CocoEvaluator.evaluate(new Dataset(null, List.of(), CATS, images), dets).stats();
        Collections.shuffle(images, new Random(1));
        Collections.shuffle(dets, new Random(2)); // distinct scores: order only breaks ties
        assertArrayEquals(stats, CocoEvaluator.evaluate(new Dataset(null, List.of(), CATS, images), dets).stats(), 0.0);
    }

    @Test
    void rejectsDetectionsTheGroundTruthCannotHave() {
        Dataset gt = dataset(image(1, box(1, 3, 0, 0, 10, 10)));
        assertThrows(IllegalArgumentException.class, () -> CocoEvaluator.evaluate(gt, List.of(det(2, 3, 0, 0, 1, 1, 1f))));
        assertThrows(IllegalArgumentException.class, () -> CocoEvaluator.evaluate(gt, List.of(det(1, 4, 0, 0, 1, 1, 1f))));
        assertThrows(IllegalArgumentException.class, () -> CocoEvaluator.evaluate(gt, List.of(det(1, 3, 0, 0, 1, 1, Float.NaN))));
        assertThrows(IllegalArgumentException.class, () -> CocoEvaluator.evaluate(gt, List.of()).classAp("horse"));
    }
}
