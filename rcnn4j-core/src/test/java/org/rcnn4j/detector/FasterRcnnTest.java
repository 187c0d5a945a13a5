package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;

class FasterRcnnTest {
    @TempDir Path tmp;

    static final List<Category> CLASSES = TinyDetectors.CLASSES;

    static FasterRcnnConfig tinyConfig() {
        return TinyDetectors.fasterRcnn();
    }

    static RgbImage stripes(int w, int h) {
        return TinyDetectors.stripes(w, h);
    }

    @Test
    void saveLoadDetectGivesIdenticalDetections() throws Exception {
        assertSaveLoadDetectIsIdentical(tinyConfig());
    }

    @Test
    void aC5HeadSavesAndLoadsToo() throws Exception {
        assertSaveLoadDetectIsIdentical(PretrainedHeadTest.withC5(tinyConfig()));
        assertEquals(BoxHeadType.C5, ModelDirectory.describe(tmp.resolve("model")).config() instanceof FasterRcnnConfig c
                ? c.roi().head() : null);
    }

    /** Models saved before the C5 head have no {@code roi.head} in {@code model.json}: an fc head. */
    @Test
    void aModelJsonWithoutRoiHeadHasAnFcHead() throws Exception {
        Path dir = tmp.resolve("model");
        try (FasterRcnn model = FasterRcnn.create(tinyConfig(), 3)) {
            ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of());
        }
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        String text = Files.readString(json);
        String without = text.replaceAll(",\\s*\"head\"\\s*:\\s*\"fc\"", "");
        assertTrue(text.length() > without.length(), "model.json names the head: " + text);
        Files.writeString(json, without);
        FasterRcnnConfig c = (FasterRcnnConfig) ModelDirectory.describe(dir).config();
        assertEquals(BoxHeadType.FC, c.roi().head());
    }

    private void assertSaveLoadDetectIsIdentical(FasterRcnnConfig config) throws Exception {
        Path dir = tmp.resolve("model");
        RgbImage image = stripes(80, 64);
        ImageRecord record = new ImageRecord(7, "x", "x.png", 80, 64, List.of());
        List<Detection> before;
        try (FasterRcnn model = FasterRcnn.create(config, 3)) {
            ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of("note", "test"));
            ModelDirectory.Description d = ModelDirectory.describe(dir);
            before = Detector.of(model, d).detect(image, record);
        }
        assertFalse(before.isEmpty(), "a score threshold of 0 keeps detections of an untrained model");
        try (Detector loaded = Detector.load(dir)) {
            assertEquals(before, loaded.detect(image, record));
            assertEquals("b", loaded.categoryName(2));
        }
        for (Detection d : before) {
            assertEquals(7, d.imageId());
            assertTrue(d.x1() >= 0 && d.x2() <= 80 && d.y1() >= 0 && d.y2() <= 64, "boxes in the original image: " + d);
        }
    }

    @Test
    void damagedModelDirectoryIsOneLine() throws Exception {
        Path dir = tmp.resolve("model");
        try (FasterRcnn model = FasterRcnn.create(tinyConfig(), 3)) {
            ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of());
        }
        byte[] w = Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS));
        w[w.length / 2] ^= 0x55;
        Files.write(dir.resolve(ModelDirectory.WEIGHTS), w);
        BadInputException e = assertThrows(BadInputException.class, () -> Detector.load(dir));
        assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("damaged"), e.getMessage());
        Files.writeString(dir.resolve(ModelDirectory.MODEL_JSON), "{\"format\": ");
        e = assertThrows(BadInputException.class, () -> Detector.load(dir));
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Detector.load(tmp.resolve("none")));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }

    /** torchvision's invariant: an image without objects is background-only data with zero box losses. */
    @Test
    void imageWithoutObjectsHasZeroBoxLosses() {
        try (FasterRcnn model = FasterRcnn.create(tinyConfig(), 3)) {
            ImageRecord record = new ImageRecord(1, "empty", "e.png", 64, 64, List.of());
            PreparedImage p = PreparedImage.forInference(stripes(64, 64), record, null, 64, 107);
            DetectionBatch batch = DetectionBatch.assemble(List.of(p), Normalize.imagenet(), 1);
            ParameterStore ps = new ParameterStore(model.manager(), false);
            try (NDManager sub = model.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
                List<BatchImage> meta = batch.images();
                LossTerms t = model.computeLosses(ps, x, meta, new SplittableRandom(1));
                assertEquals(0f, t.get(LossTerms.RPN_BOX).getFloat());
                assertEquals(0f, t.get(LossTerms.ROI_BOX).getFloat());
                assertTrue(t.get(LossTerms.RPN_CLS).getFloat() > 0 && t.get(LossTerms.ROI_CLS).getFloat() > 0);
                gc.backward(t.total());
            }
        }
    }
}
