package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.evaluation.ResultsReader;
import org.rcnn4j.preprocess.Augmentation;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.proposals.ProposalsFileSource;

/**
 * Model directories written by an older build (commit 452752b, {@code src/test/resources/models})
 * load with today's code and detect and propose what they did then: boxes within 0.01 px, scores
 * within 1e-4. Guards the saved-model format across refactors of the detectors.
 */
class SavedModelFixtureTest {
    static final Path FIXTURES = Path.of("src/test/resources/models");

    static Dataset images() {
        return DatasetReader.read(FIXTURES.resolve("images.json"), null, ReadOptions.strict()).dataset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"faster-rcnn", "fpn", "fast-rcnn", "faster-rcnn-svd"})
    void detectsAsWhenSaved(String model) throws Exception {
        Dataset images = images();
        List<Detection> expected = ResultsReader.readCoco(FIXTURES.resolve(model + ".detections.json"), images);
        assertTrue(expected.size() > 100, "the fixture has detections to compare: " + expected.size());
        List<Detection> found = new ArrayList<>();
        try (Detector detector = Detector.load(FIXTURES.resolve(model))) {
            if (detector.takesProposals()) detector.useProposals(ProposalsFileSource.read(FIXTURES.resolve("proposals.json"), images));
            for (ImageRecord im : images.images()) found.addAll(detector.detect(ImageDecoder.decode(images.imagePath(im)), im));
        }
        assertEquals(expected.size(), found.size(), model + ": number of detections");
        for (int i = 0; i < expected.size(); i++) {
            Detection e = expected.get(i), f = found.get(i);
            String at = model + " detection " + i;
            assertEquals(e.imageId(), f.imageId(), at);
            assertEquals(e.categoryId(), f.categoryId(), at);
            assertEquals(e.score(), f.score(), 1e-4, at + " score");
            assertEquals(e.x1(), f.x1(), 0.01, at + " x1");
            assertEquals(e.y1(), f.y1(), 0.01, at + " y1");
            assertEquals(e.x2(), f.x2(), 0.01, at + " x2");
            assertEquals(e.y2(), f.y2(), 0.01, at + " y2");
        }
    }

    /**
     * The config reads back and is written again field for field as the older build wrote it, with
     * the fields added since (input.augmentation; torchvision's inference options) at the values that
     * mean "as that build trained".
     */
    @ParameterizedTest
    @ValueSource(strings = {"faster-rcnn", "fpn", "fast-rcnn", "faster-rcnn-svd"})
    void configIsWrittenAsBefore(String model) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode saved = json.readTree(FIXTURES.resolve(model).resolve(ModelDirectory.MODEL_JSON).toFile()).get("config");
        ModelDirectory.Description d = ModelDirectory.describe(FIXTURES.resolve(model));
        // Through text and back, as ModelDirectory writes it: the same fields, names and values.
        JsonNode written = json.readTree(json.writeValueAsString(d.config()));
        ObjectNode input = (ObjectNode) written.get("input");
        assertEquals(json.valueToTree(Augmentation.none()), input.remove("augmentation"), model + ": added since, as none");
        assertEquals(1, input.remove("sizeDivisibility").asInt(), model + ": no padding to a multiple");
        assertEquals("opencv", input.remove("resize").asText(), model + ": the 8-bit resize");
        if (written.has("rpn")) { // fast-rcnn has none
            assertEquals(false, ((ObjectNode) written.get("rpn")).remove("nmsPerLevel").asBoolean(), model + ": one NMS over all levels");
        }
        ObjectNode roi = (ObjectNode) written.get("roi");
        assertEquals(0, roi.remove("samplingRatio").asInt(), model + ": adaptive RoIAlign sampling");
        assertEquals(true, roi.remove("aligned").asBoolean(), model + ": aligned RoIAlign");
        if (model.equals("fpn")) { // the feature pyramid (fast-rcnn's "pyramid" is its image pyramid)
            ObjectNode pyramid = (ObjectNode) written.get("pyramid");
            assertEquals(false, pyramid.remove("roundAnchors").asBoolean(), model + ": exact anchor sides");
            assertEquals(false, pyramid.remove("stridesFromSizes").asBoolean(), model + ": nominal strides");
            assertEquals(0, ((ObjectNode) written).remove("frozenStages").asInt(), model + ": every stage trained");
        }
        assertEquals(saved, written, model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"faster-rcnn", "fpn"})
    void proposesAsWhenSaved(String model) throws Exception {
        Dataset images = images();
        Map<Long, org.rcnn4j.box.Proposals> expected = ProposalsFile.read(FIXTURES.resolve(model + ".proposals.json"), images);
        try (Detector detector = Detector.load(FIXTURES.resolve(model))) {
            for (ImageRecord im : images.images()) {
                var want = expected.get(im.id());
                var got = detector.propose(ImageDecoder.decode(images.imagePath(im)), im);
                int n = Math.min(50, got.size());
                assertEquals(want.size(), n, model + " image " + im.id() + ": proposals");
                for (int k = 0; k < 4 * n; k++) assertEquals(want.boxes()[k], got.boxes()[k], 0.01, model + " box coordinate " + k);
                for (int k = 0; k < n; k++) assertEquals(want.scores()[k], got.scores()[k], 1e-4, model + " score " + k);
            }
        }
    }
}
