package org.rcnn4j.detector.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.TinyDetectors;
import org.rcnn4j.detector.TwoStageDetector;
import org.rcnn4j.detector.compress.SvdCompression;
import org.rcnn4j.modeling.roiheads.FactorisedLinear;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/** Truncated SVD of a tiny Faster R-CNN's fc6/fc7, its model directory, and old model.json files. */
class SvdCompressionTest {
    @TempDir Path tmp;

    private static final RgbImage IMAGE = TinyDetectors.stripes(80, 64);
    private static final ImageRecord RECORD = new ImageRecord(7, "x", "x.png", 80, 64, List.of());

    @Test
    void fullRankCompressionKeepsDetectionsAndSurvivesSaveLoad() throws Exception {
        Path dir = tmp.resolve("compressed");
        List<Detection> before;
        List<Detection> after;
        try (FasterRcnn model = FasterRcnn.create(TinyDetectors.fasterRcnn(), 3)) {
            ModelDirectory.save(tmp.resolve("plain"), model, TinyDetectors.CLASSES, Normalize.imagenet(), Map.of());
            before = Detector.of(model, ModelDirectory.describe(tmp.resolve("plain"))).detect(IMAGE, RECORD);
            List<SvdCompression.Layer> layers = SvdCompression.layers(model).orElseThrow();
            SvdCompression.Layer fc6 = layers.get(0);
            SvdCompression.Layer fc7 = layers.get(1);
            assertEquals(512, fc6.units());
            assertEquals(0, fc6.rank());
            SvdCompression.Result r = SvdCompression.compress(model, Map.of("fc6", fc6.maxRank(), "fc7", fc7.maxRank()));
            try (DetectorModel compressed = r.model()) {
                RoiConfig roi = ((FasterRcnnConfig) compressed.config()).roi();
                assertEquals(fc6.maxRank(), roi.svdFc6());
                assertEquals(fc7.maxRank(), roi.svdFc7());
                for (SvdCompression.Compressed c : r.layers()) {
                    assertEquals((long) c.units() * c.inputs() + c.units(), c.parametersBefore(), c.name());
                    assertEquals((long) c.rank() * (c.units() + c.inputs()) + c.units(), c.parametersAfter(), c.name());
                    assertEquals(0, c.relativeError(), 1e-4, "nothing discarded at full rank");
                }
                ModelDirectory.save(dir, compressed, TinyDetectors.CLASSES, Normalize.imagenet(),
                        Map.of("compressed", SvdCompression.describe(r.layers())));
                after = Detector.of(compressed, ModelDirectory.describe(dir)).detect(IMAGE, RECORD);
            }
        }
        assertFalse(before.isEmpty());
        assertNearlyEqual(before, after);
        try (Detector loaded = Detector.load(dir)) {
            assertEquals(after, loaded.detect(IMAGE, RECORD), "the compressed directory loads to the same model");
            TwoMlpHead head = (TwoMlpHead) ((TwoStageDetector) loaded.model()).roiHeads().boxHead();
            assertInstanceOf(FactorisedLinear.class, head.fc6());
            assertTrue(Files.readString(dir.resolve(ModelDirectory.MODEL_JSON)).contains("\"parameters_after\""));
        }
    }

    @Test
    void oneLayerAtLowRankAndTheRefusals() {
        try (FasterRcnn model = FasterRcnn.create(TinyDetectors.fasterRcnn(), 3)) {
            int max = SvdCompression.layers(model).orElseThrow().get(1).maxRank();
            assertThrows(IllegalArgumentException.class, () -> SvdCompression.compress(model, Map.of("fc8", 3)));
            assertThrows(IllegalArgumentException.class, () -> SvdCompression.compress(model, Map.of("fc7", max + 1)));
            assertThrows(IllegalArgumentException.class, () -> SvdCompression.compress(model, Map.of("fc7", 0)));
            SvdCompression.Result r = SvdCompression.compress(model, Map.of("fc7", 16));
            try (DetectorModel compressed = r.model()) {
                assertEquals(1, r.layers().size());
                assertEquals(16L * (512 + 512) + 512, r.layers().get(0).parametersAfter());
                SvdCompression.Compressed c = r.layers().get(0);
                assertTrue(c.discardedNorm() > 0 && c.relativeError() > 0 && c.relativeError() < 1, "" + c);
                List<SvdCompression.Layer> layers = SvdCompression.layers(compressed).orElseThrow();
                assertEquals(0, layers.get(0).rank(), "fc6 untouched");
                assertEquals(16, layers.get(1).rank());
                IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                        () -> SvdCompression.compress(compressed, Map.of("fc7", 8)));
                assertTrue(again.getMessage().contains("already factorised"), again.getMessage());
                // Still a detector: a low-rank fc7 changes scores but detection runs end to end.
                ModelDirectory.Description d = new ModelDirectory.Description("faster-rcnn", TinyDetectors.CLASSES,
                        compressed.config(), Normalize.imagenet(), null, Map.of());
                assertFalse(Detector.of(compressed, d).detect(IMAGE, RECORD).isEmpty());
            }
        }
    }

    @Test
    void modelJsonWithoutSvdFieldsLoadsWithPlainLayers() throws Exception {
        Path dir = tmp.resolve("old");
        try (FasterRcnn model = FasterRcnn.create(TinyDetectors.fasterRcnn(), 3)) {
            ModelDirectory.save(dir, model, TinyDetectors.CLASSES, Normalize.imagenet(), Map.of());
        }
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        String text = Files.readString(json);
        assertTrue(text.contains("\"svdFc6\" : 0,"), text);
        // As written before the SVD fields existed: they were the last two of config.roi.
        String old = text.replaceAll(",\\s*\"svdFc6\" : 0,\\s*\"svdFc7\" : 0", "");
        assertFalse(old.contains("svdFc"), old);
        Files.writeString(json, old);
        ModelDirectory.Description d = ModelDirectory.describe(dir);
        RoiConfig roi = ((FasterRcnnConfig) d.config()).roi();
        assertEquals(0, roi.svdFc6());
        assertEquals(0, roi.svdFc7());
        assertEquals(TinyDetectors.fasterRcnn().roi(), roi);
        try (Detector loaded = Detector.load(dir)) {
            assertFalse(loaded.detect(IMAGE, RECORD).isEmpty());
        }
    }

    private static void assertNearlyEqual(List<Detection> expected, List<Detection> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Detection e = expected.get(i);
            Detection a = actual.get(i);
            assertEquals(e.categoryId(), a.categoryId(), "detection " + i);
            assertEquals(e.score(), a.score(), 1e-4, "detection " + i);
            assertEquals(e.x1(), a.x1(), 1e-2);
            assertEquals(e.y1(), a.y1(), 1e-2);
            assertEquals(e.x2(), a.x2(), 1e-2);
            assertEquals(e.y2(), a.y2(), 1e-2);
        }
    }
}
