package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;

/**
 * Every AP and every point of every precision/recall curve equals py-faster-rcnn's
 * {@code voc_eval.py} on the fixtures that {@code evaluation/voc/make_fixtures.py} generated (see
 * the README there): difficult objects, duplicates, images without objects, more than 100
 * detections on one image, a class without detections, IoU exactly 0.5, recall exactly 0.3 against
 * the 11-point thresholds, and 30 random images with 4 classes.
 */
class VocReferenceFixturesTest {
    /** The reference numbers are stored to 10 decimals; the brief's bar is 1e-4, this is stricter. */
    private static final double TOL = 1e-8;

    @ParameterizedTest
    @ValueSource(strings = {"difficult", "duplicates", "empty_images", "many_dets", "boundaries", "random"})
    void matchesReference(String name) throws Exception {
        Path dir = VocFixtures.root().resolve(name);
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        List<String> classes = new ArrayList<>();
        ref.get("classes").forEach(c -> classes.add(c.asText()));
        Dataset gt = VocFixtures.load(dir, classes);
        List<Detection> dets = ResultsReader.read(dir.resolve("results"), gt);

        for (VocMetric metric : VocMetric.values()) {
            VocEvaluation ev = new VocEvaluator().evaluate(gt, dets, metric);
            JsonNode m = ref.get(metric.id());
            double sum = 0;
            int counted = 0;
            for (int k = 0; k < classes.size(); k++) {
                String cls = classes.get(k);
                PrecisionRecall pr = ev.perClass().get(k);
                assertEquals(cls, pr.className());
                String what = name + " " + metric.id() + " " + cls;
                if (ref.get("npos").get(cls).asInt() == 0) {
                    // the reference divides by npos = 0 (0 for voc07, NaN or 0 for voc): rcnn4j says -1
                    assertEquals(-1, pr.ap(), what);
                    assertEquals(0, pr.recall().length, what);
                    continue;
                }
                assertEquals(m.get("ap").get(cls).asDouble(), pr.ap(), TOL, what);
                assertEquals(pr.ap(), ev.apByClass().get(cls), 0.0, what);
                JsonNode rec = m.get("curves").get(cls).get("recall");
                JsonNode prec = m.get("curves").get(cls).get("precision");
                assertEquals(rec.size(), pr.recall().length, what);
                for (int i = 0; i < rec.size(); i++) {
                    assertEquals(rec.get(i).asDouble(), pr.recall()[i], TOL, what + " recall[" + i + "]");
                    assertEquals(prec.get(i).asDouble(), pr.precision()[i], TOL, what + " precision[" + i + "]");
                }
                sum += pr.ap();
                counted++;
            }
            assertTrue(counted > 0);
            assertEquals(sum / counted, ev.mAP(), 1e-12, name + " " + metric.id() + " mAP");
            if (counted == classes.size()) {
                assertEquals(m.get("mAP_all_classes").asDouble(), ev.mAP(), TOL, name + " " + metric.id() + " mAP");
            }
        }
    }
}
