package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VocMetricTest {
    @Test
    void emptyCurveHasApZero() {
        assertEquals(0.0, VocMetric.VOC07.averagePrecision(new double[0], new double[0]), 0.0);
        assertEquals(0.0, VocMetric.VOC.averagePrecision(new double[0], new double[0]), 0.0);
    }

    @Test
    void elevenPointUsesArangeThresholds() {
        // npos = 10: recall 3/10 = 0.3 lies below the 4th threshold 3 * 0.1 = 0.30000000000000004,
        // so thresholds 0, 0.1, 0.2 take precision 1 and 0.3, 0.4 take 0.8 (at recall 0.4):
        // AP = (1 + 1 + 1 + 0.8 + 0.8) / 11
        double[] rec = {1 / 10.0, 2 / 10.0, 3 / 10.0, 3 / 10.0, 4 / 10.0};
        double[] prec = {1, 1, 1, 0.75, 0.8};
        assertEquals(4.6 / 11, VocMetric.VOC07.averagePrecision(rec, prec), 1e-15);
    }

    @Test
    void elevenPointPerfectCurve() {
        assertEquals(1.0, VocMetric.VOC07.averagePrecision(new double[] {0.5, 1.0}, new double[] {1, 1}), 1e-12);
    }

    @Test
    void envelopeAreaTakesMaximumPrecisionToTheRight() {
        // sentinels: recall [0, .5, .5, 1, 1], precision [0, 1, .5, 2/3, 0];
        // envelope [1, 1, 2/3, 2/3, 0]; steps 0 -> .5 at 1 and .5 -> 1 at 2/3
        double[] rec = {0.5, 0.5, 1.0};
        double[] prec = {1, 0.5, 2 / 3.0};
        assertEquals(0.5 + 0.5 * 2 / 3.0, VocMetric.VOC.averagePrecision(rec, prec), 1e-15);
    }

    @Test
    void envelopeAreaOfPartialRecall() {
        // recall reaches 0.25 at precision 1, then nothing: area 0.25
        assertEquals(0.25, VocMetric.VOC.averagePrecision(new double[] {0.25, 0.25}, new double[] {1, 0.5}), 1e-15);
    }

    @Test
    void parsesNames() {
        assertEquals(VocMetric.VOC07, VocMetric.parse("VOC07"));
        assertEquals(VocMetric.VOC, VocMetric.parse("voc"));
        assertEquals("voc07", VocMetric.VOC07.id());
        assertThrows(IllegalArgumentException.class, () -> VocMetric.parse("coco"));
    }

    @Test
    void rejectsMismatchedCurve() {
        assertThrows(IllegalArgumentException.class, () -> VocMetric.VOC.averagePrecision(new double[1], new double[2]));
    }
}
