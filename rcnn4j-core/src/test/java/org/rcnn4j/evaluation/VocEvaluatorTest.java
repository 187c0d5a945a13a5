package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

/** Hand-computed VOC evaluations; the reference comparisons are in {@link VocReferenceFixturesTest}. */
class VocEvaluatorTest {
    private static final int A = 7;
    private static final int B = 3;

    /** Classes a (id 7) then b (id 3); image 10: a [0,0,10,10], difficult a [20,20,30,30], b [0,0,10,10]; image 11: none. */
    private static Dataset dataset() {
        List<Annotation> objects = List.of(
                Annotation.of(1, A, 0, 0, 10, 10),
                new Annotation(2, A, 20, 20, 30, 30, 100, true, false),
                Annotation.of(3, B, 0, 0, 10, 10));
        return new Dataset(Path.of("gt"), List.of(), List.of(new Category(A, "a"), new Category(B, "b")),
                List.of(new ImageRecord(10, "000010", "000010.jpg", 40, 40, objects),
                        new ImageRecord(11, "000011", "000011.jpg", 40, 40, List.of())));
    }

    private static Detection det(long image, int cat, float x1, float y1, float x2, float y2, float score) {
        return new Detection(image, cat, x1, y1, x2, y2, score);
    }

    @Test
    void falsePositiveTruePositiveDuplicateDifficult() {
        List<Detection> dets = List.of(
                det(10, A, 0, 0, 10, 10, 0.9f),    // TP
                det(11, A, 0, 0, 10, 10, 0.95f),   // FP: image without objects
                det(10, A, 21, 20, 30, 31, 0.7f),  // on the difficult object: ignored
                det(10, A, 1, 0, 10, 10, 0.8f));   // duplicate: FP
        for (VocMetric metric : VocMetric.values()) {
            VocEvaluation ev = new VocEvaluator().evaluate(dataset(), dets, metric);
            PrecisionRecall a = ev.perClass().get(0);
            assertEquals("a", a.className());
            // in score order: FP, TP, FP, ignored; npos = 1
            assertArrayEquals(new double[] {0, 1, 1, 1}, a.recall(), 0.0);
            assertArrayEquals(new double[] {0, 0.5, 1 / 3.0, 1 / 3.0}, a.precision(), 1e-15);
            // voc07: best precision at any recall is 0.5 for all 11 thresholds; voc: 1 * 0.5
            assertEquals(0.5, a.ap(), 1e-12, metric.id());
            PrecisionRecall b = ev.perClass().get(1);
            assertEquals(0, b.recall().length);
            assertEquals(0.0, b.ap(), 0.0, "a class without detections has AP 0");
            assertEquals(0.25, ev.mAP(), 1e-12);
            assertEquals(List.of("a", "b"), List.copyOf(ev.apByClass().keySet()));
            assertEquals(metric, ev.metric());
        }
    }

    @Test
    void iouExactlyHalfIsNotAMatch() {
        // [0,0,5,10] against [0,0,10,10]: VOC +1 formula on xmin=1..xmax=5 vs 1..10: 50 / 100 = 0.5
        List<Detection> half = List.of(det(10, B, 0, 0, 5, 10, 0.9f));
        assertEquals(0.0, new VocEvaluator().evaluate(dataset(), half, VocMetric.VOC).perClass().get(1).ap(), 0.0);
        assertEquals(1.0, new VocEvaluator(0.49).evaluate(dataset(), half, VocMetric.VOC).perClass().get(1).ap(), 1e-12);
        List<Detection> above = List.of(det(10, B, 0, 0, 5.01f, 10, 0.9f));
        assertEquals(1.0, new VocEvaluator().evaluate(dataset(), above, VocMetric.VOC).perClass().get(1).ap(), 1e-12);
    }

    @Test
    void iouIsContinuousOnConvertedBoxes() {
        // [2,0,12,10] against [0,0,10,10]: continuous IoU 80 / 120 = 2/3 > 0.5, a match
        List<Detection> dets = List.of(det(10, B, 2, 0, 12, 10, 0.9f));
        assertEquals(1.0, new VocEvaluator(0.66).evaluate(dataset(), dets, VocMetric.VOC).perClass().get(1).ap(), 1e-12);
        assertEquals(0.0, new VocEvaluator(0.67).evaluate(dataset(), dets, VocMetric.VOC).perClass().get(1).ap(), 0.0);
    }

    @Test
    void tiesKeepInputOrder() {
        Detection fp = det(11, B, 0, 0, 10, 10, 0.5f);
        Detection tp = det(10, B, 0, 0, 10, 10, 0.5f);
        PrecisionRecall first = new VocEvaluator().evaluate(dataset(), List.of(fp, tp), VocMetric.VOC).perClass().get(1);
        assertArrayEquals(new double[] {0, 0.5}, first.precision(), 0.0);
        PrecisionRecall second = new VocEvaluator().evaluate(dataset(), List.of(tp, fp), VocMetric.VOC).perClass().get(1);
        assertArrayEquals(new double[] {1, 0.5}, second.precision(), 0.0);
    }

    @Test
    void classWithoutGroundTruthIsMinusOneAndLeftOutOfMap() {
        Dataset gt = new Dataset(null, List.of(), List.of(new Category(A, "a"), new Category(B, "b")),
                List.of(new ImageRecord(1, "1", "1.jpg", 20, 20, List.of(
                        Annotation.of(1, A, 0, 0, 10, 10),
                        new Annotation(2, B, 0, 0, 10, 10, 100, true, false)))));
        List<Detection> dets = List.of(det(1, A, 0, 0, 10, 10, 0.9f), det(1, B, 0, 0, 10, 10, 0.8f));
        for (VocMetric metric : VocMetric.values()) {
            VocEvaluation ev = new VocEvaluator().evaluate(gt, dets, metric);
            assertEquals(1.0, ev.perClass().get(0).ap(), 1e-12);
            assertEquals(-1.0, ev.perClass().get(1).ap(), 0.0, "only a difficult object: npos = 0");
            assertEquals(1.0, ev.mAP(), 1e-12);
        }
        VocEvaluation none = new VocEvaluator().evaluate(gt.withImages(List.of()), List.of(), VocMetric.VOC07);
        assertEquals(-1.0, none.mAP(), 0.0);
    }

    @Test
    void boxesPastTheImageAreTakenAsTheyAre() {
        // [-5,0,10,10]: IoU 100 / 150 with [0,0,10,10]; clipping would make it 1
        List<Detection> dets = List.of(det(10, B, -5, 0, 10, 10, 0.9f));
        assertEquals(0.0, new VocEvaluator(0.7).evaluate(dataset(), dets, VocMetric.VOC).perClass().get(1).ap(), 0.0);
        assertEquals(1.0, new VocEvaluator(0.6).evaluate(dataset(), dets, VocMetric.VOC).perClass().get(1).ap(), 1e-12);
    }

    @Test
    void rejectsUnknownImageOrCategory() {
        VocEvaluator ev = new VocEvaluator();
        assertThrows(IllegalArgumentException.class,
                () -> ev.evaluate(dataset(), List.of(det(99, A, 0, 0, 1, 1, 1)), VocMetric.VOC));
        assertThrows(IllegalArgumentException.class,
                () -> ev.evaluate(dataset(), List.of(det(10, 5, 0, 0, 1, 1, 1)), VocMetric.VOC));
        assertThrows(IllegalArgumentException.class, () -> new VocEvaluator(Double.NaN));
    }
}
