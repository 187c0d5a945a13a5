package org.rcnn4j.detector.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Detection;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.TinyDetectors;
import org.rcnn4j.detector.djl.DetectorBlock;
import org.rcnn4j.detector.djl.DetectorTranslator;
import org.rcnn4j.detector.djl.Rcnn4jModels;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/** rcnn4j through DJL's Model + Predictor gives Detector.detect's detections, boxes as fractions. */
class DetectorDjlTest {
    @TempDir static Path tmp;
    static Path dir;
    static Path png;

    @BeforeAll
    static void saveTinyModelAndImage() throws Exception {
        dir = tmp.resolve("model");
        try (FasterRcnn model = FasterRcnn.create(TinyDetectors.fasterRcnn(), 5)) {
            ModelDirectory.save(dir, model, TinyDetectors.CLASSES, Normalize.imagenet(), Map.of());
        }
        png = tmp.resolve("stripes.png");
        ImageIO.write(TinyDetectors.stripes(90, 70).toBufferedImage(), "png", png.toFile());
    }

    @Test
    void predictorGivesTheDetectorsDetectionsAsRatios() throws Exception {
        List<Detection> expected;
        try (Detector detector = Detector.load(dir)) {
            expected = detector.detect(png);
        }
        assertFalse(expected.isEmpty(), "a score threshold of 0 keeps detections of an untrained model");
        assertTrue(ImageFactory.getInstance() instanceof BufferedImageFactory, "DJL's api jar brings the BufferedImage factory");
        Image image = ImageFactory.getInstance().fromFile(png);
        DetectedObjects found;
        try (Model model = Rcnn4jModels.load(dir);
                Predictor<Image, DetectedObjects> predictor = model.newPredictor(new DetectorTranslator())) {
            found = predictor.predict(image);
            assertEquals(found.getNumberOfObjects(), predictor.predict(image).getNumberOfObjects(), "a predictor is reusable");
        }
        assertEquals(expected.size(), found.getNumberOfObjects());
        for (int i = 0; i < expected.size(); i++) {
            Detection d = expected.get(i);
            DetectedObjects.DetectedObject o = found.item(i);
            assertEquals(d.categoryId() == 1 ? "a" : "b", o.getClassName());
            assertEquals(d.score(), o.getProbability(), 0.0);
            Rectangle r = (Rectangle) o.getBoundingBox();
            assertEquals(d.x1() / 90.0, r.getX(), 1e-9, "x of " + d);
            assertEquals(d.y1() / 70.0, r.getY(), 1e-9, "y of " + d);
            assertEquals((d.x2() - d.x1()) / 90.0, r.getWidth(), 1e-9, "width of " + d);
            assertEquals((d.y2() - d.y1()) / 70.0, r.getHeight(), 1e-9, "height of " + d);
            assertTrue(r.getX() >= 0 && r.getX() + r.getWidth() <= 1 + 1e-6, "inside the image: " + r);
        }
    }

    /** A detector on external proposals gets selective search, as the command line gives it. */
    @Test
    void anRcnnModelRunsOnSelectiveSearchThroughDjl() throws Exception {
        Path rcnnDir = tmp.resolve("r-cnn");
        org.rcnn4j.detector.RcnnConfig config = org.rcnn4j.detector.RcnnConfig.small("tiny", 2, 64)
                .withTest(new org.rcnn4j.config.TestConfig(0f, 0.3f, 100));
        try (org.rcnn4j.detector.Rcnn model = org.rcnn4j.detector.Rcnn.create(config, 5, null)) {
            ModelDirectory.save(rcnnDir, model, TinyDetectors.CLASSES, Normalize.imagenet(), Map.of());
        }
        Path other = tmp.resolve("other.png");
        ImageIO.write(TinyDetectors.stripes(60, 80).toBufferedImage(), "png", other.toFile());
        try (Detector detector = Detector.load(rcnnDir);
                Model model = Rcnn4jModels.load(rcnnDir);
                Predictor<Image, DetectedObjects> predictor = model.newPredictor(new DetectorTranslator())) {
            detector.useProposals(new org.rcnn4j.proposals.SelectiveSearchSource(
                    org.rcnn4j.proposals.SelectiveSearch.Mode.FAST, 2000, 0));
            assertEquals("r-cnn", model.getProperty("rcnn4j.detector"));
            for (Path file : List.of(png, other)) {
                List<Detection> expected = detector.detect(file);
                assertFalse(expected.isEmpty());
                DetectedObjects found = predictor.predict(ImageFactory.getInstance().fromFile(file));
                assertEquals(expected.size(), found.getNumberOfObjects(), "each image its own proposals: " + file);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).score(), found.item(i).getProbability(), 0.0);
                }
            }
        }
    }

    @Test
    void minScoreDropsLowDetectionsAndClosingTheModelClosesTheDetector() throws Exception {
        Image image = ImageFactory.getInstance().fromFile(png);
        Model model = Rcnn4jModels.load(dir);
        NDManager detectorManager = ((DetectorBlock) model.getBlock()).detector().model().manager();
        try (Predictor<Image, DetectedObjects> all = model.newPredictor(new DetectorTranslator());
                Predictor<Image, DetectedObjects> high = model.newPredictor(new DetectorTranslator(0.5f))) {
            DetectedObjects everything = all.predict(image);
            long kept = everything.items().stream().filter(c -> c.getProbability() >= 0.5f).count();
            assertEquals(kept, high.predict(image).getNumberOfObjects());
        }
        assertTrue(detectorManager.isOpen());
        model.close();
        assertFalse(detectorManager.isOpen(), "the model owns the detector");
    }

    @Test
    void blockRejectsAnArrayThatIsNotAnRgbImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> DetectorBlock.toRgbImage(m.zeros(new ai.djl.ndarray.types.Shape(4, 4))));
            RgbImage image = DetectorBlock.toRgbImage(m.create(new byte[] {1, 2, 3, 4, 5, 6}, new ai.djl.ndarray.types.Shape(1, 2, 3))
                    .toType(ai.djl.ndarray.types.DataType.UINT8, false));
            assertEquals(2, image.width());
            assertEquals(0x040506, image.rgb(1, 0));
        }
    }
}
