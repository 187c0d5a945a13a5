package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares {@link CocoEvaluator} with pycocotools' COCOeval on the committed reference cases:
 * {@code random} (50 images, ids 1, 3, 7, 12, 44, 90, a class without GT, a class without
 * detections, images without objects, duplicates, objects of all sizes with segment areas below
 * their box areas), {@code crowd} (crowd regions with many detections, crowd-only images),
 * {@code many} (over 100 detections on one image, tied scores across images) and
 * {@code boundary} (areas exactly 32² and 96², IoU exactly 0.5 and 0.75, identical duplicates).
 */
class CocoEvaluatorReferenceTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"random", "crowd", "many", "boundary"})
    void twelveStatsMatchCocoEval(String name) throws IOException {
        CocoFixture f = CocoFixture.load(name);
        CocoEvaluation e = CocoEvaluator.evaluate(f.gt(), f.dets());
        double[] expected = doubles(f.expected().get("stats"));
        double[] actual = e.stats();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, name + " " + CocoEvaluation.STAT_NAMES.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "crowd", "many", "boundary"})
    void perClassApAndCurvesMatchCocoEval(String name) throws IOException {
        CocoFixture f = CocoFixture.load(name);
        CocoEvaluation e = CocoEvaluator.evaluate(f.gt(), f.dets());
        Iterator<Map.Entry<String, JsonNode>> aps = f.expected().get("perClassAp").fields();
        while (aps.hasNext()) {
            Map.Entry<String, JsonNode> ap = aps.next();
            assertEquals(ap.getValue().asDouble(), e.classAp(ap.getKey()), TOLERANCE, name + " " + ap.getKey());
            double[] precision = doubles(f.expected().get("precisionAt50").get(ap.getKey()));
            PrecisionRecall curve = e.curve(ap.getKey());
            if (precision[0] == -1) {
                assertEquals(0, curve.precision().length, ap.getKey());
                assertEquals(-1, curve.ap());
            } else {
                assertArrayEquals(precision, curve.precision(), TOLERANCE, name + " " + ap.getKey());
            }
        }
    }

    @Test
    void iouThresholdsAreBitForBitThoseOfTheApi() throws IOException {
        double[] expected = doubles(CocoFixture.load("boundary").expected().get("iouThrs"));
        assertArrayEquals(expected, CocoParams.IOU_THRESHOLDS, 0.0);
        assertEquals(0.75, CocoParams.IOU_THRESHOLDS[CocoParams.IOU_75], 0.0);
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = array.get(i).asDouble();
        return v;
    }
}
