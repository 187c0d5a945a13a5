package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * What every registered detector kind ({@link DetectorKinds#all()}) must do, whatever its stages: a
 * new detector is covered by registering it. Each runs on an untrained {@code tiny} model of the
 * kind's data-planned config, its score threshold at 0 so that it detects.
 */
class DetectorContractTest {
    @TempDir Path tmp;

    static final List<Category> CLASSES = List.of(new Category(1, "a"), new Category(2, "b"));
    static final ImageRecord RECORD = new ImageRecord(7, "x", "x.png", 80, 64, List.of(
            Annotation.of(1, 1, 10, 8, 30, 28), Annotation.of(2, 2, 40, 20, 72, 56)));
    /** Proposals of every size, for detectors that take them. */
    static final ProposalSource PROPOSALS = (record, pixels) -> new Proposals(
            new float[] {2, 2, 20, 18, 10, 5, 70, 60, 30, 20, 50, 40, 0, 0, 80, 64, 60, 40, 66, 47}, new float[] {5, 4, 3, 2, 1});
    static final ProposalSource NONE = (record, pixels) -> new Proposals(new float[0], new float[0]);

    static Stream<DetectorKind> kinds() {
        return DetectorKinds.all().stream();
    }

    /** The kind's data-planned config for {@code tiny} on two small objects, keeping every score. */
    static DetectorConfig config(DetectorKind kind) {
        Dataset data = new Dataset(null, List.of(), CLASSES, List.of(RECORD));
        RoiHeadConfig planned = (RoiHeadConfig) kind.plan("tiny", data);
        return planned.withTest(new TestConfig(0f, 0.3f, 100));
    }

    static DetectorModel create(DetectorKind kind) {
        DetectorModel model = kind.create(config(kind), 3, null);
        model.externalProposals().ifPresent(e -> e.useProposals(PROPOSALS));
        return model;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void saveLoadDetectGivesIdenticalDetections(DetectorKind kind) throws Exception {
        Path dir = tmp.resolve(kind.name());
        RgbImage image = FasterRcnnTest.stripes(80, 64);
        List<Detection> before;
        try (DetectorModel model = create(kind)) {
            assertEquals(kind.name(), model.kind());
            ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of());
            before = Detector.of(model, ModelDirectory.describe(dir)).detect(image, RECORD);
        }
        assertFalse(before.isEmpty(), kind + ": an untrained model with score threshold 0 detects");
        ModelDirectory.Description d = ModelDirectory.describe(dir);
        assertEquals(kind.name(), d.detector());
        assertEquals(config(kind), d.config(), "the config reads back equal");
        try (Detector loaded = Detector.load(dir)) {
            assertEquals(kind.takesProposals(), loaded.takesProposals());
            if (loaded.takesProposals()) loaded.useProposals(PROPOSALS);
            else assertThrows(IllegalArgumentException.class, () -> loaded.useProposals(PROPOSALS));
            assertEquals(before, loaded.detect(image, RECORD), kind + ": saved and loaded, the same detections");
        }
    }

    /** torchvision's invariant: an image without objects is background-only, every box loss exactly 0. */
    @ParameterizedTest
    @MethodSource("kinds")
    void anImageWithoutObjectsHasZeroBoxLosses(DetectorKind kind) {
        ImageRecord empty = new ImageRecord(1, "empty", "e.png", 64, 64, List.of());
        try (DetectorModel model = create(kind)) {
            DetectorConfig c = model.config();
            PreparedImage p = PreparedImage.forInference(FasterRcnnTest.stripes(64, 64), empty, null, c.input().shortSide(),
                    c.input().maxSize());
            DetectionBatch batch = DetectionBatch.assemble(List.of(p), Normalize.imagenet(), 1);
            try (NDManager sub = model.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
                LossTerms t = model.computeLosses(new ParameterStore(model.manager(), false), x, batch.images(), new SplittableRandom(1));
                assertNotNull(t.get(LossTerms.ROI_CLS), kind + ": every detector has a region stage");
                for (Map.Entry<String, Float> e : t.values().entrySet()) {
                    if (e.getKey().endsWith("_box")) assertEquals(0f, e.getValue(), kind + " " + e.getKey());
                    else assertTrue(e.getValue() > 0 && Float.isFinite(e.getValue()), kind + " " + e.getKey() + " " + e.getValue());
                }
                gc.backward(t.total());
            }
        }
    }

    /** No proposal for an image: no detection, and training on it still learns from its ground truth. */
    @ParameterizedTest
    @MethodSource("kinds")
    void anImageWithoutProposalsHasNoDetections(DetectorKind kind) {
        try (DetectorModel model = create(kind)) {
            TwoStageDetector t = (TwoStageDetector) model;
            DetectorConfig c = model.config();
            Dataset data = new Dataset(null, List.of(), CLASSES, List.of(RECORD));
            PreparedImage p = PreparedImage.prepare(FasterRcnnTest.stripes(80, 64), RECORD, null, data, c.input().shortSide(),
                    c.input().maxSize(), false);
            DetectionBatch batch = DetectionBatch.assemble(List.of(p), Normalize.imagenet(), 1);
            ParameterStore ps = new ParameterStore(model.manager(), false);
            try (NDManager sub = model.manager().newSubManager()) {
                List<NDArray> maps = t.features().forward(ps, sub.create(batch.pixels(), new Shape(batch.shape())), false);
                List<ImageDetections> d = t.roiHeads().detect(ps, maps, List.of(new Proposals(new float[0], new float[0])),
                        batch.images(), StageTimes.none());
                assertEquals(0, d.get(0).size(), kind + ": the region stage given no proposal");
            }
            model.externalProposals().ifPresent(e -> {
                e.useProposals(NONE);
                Detector detector = Detector.of(model, new ModelDirectory.Description(kind.name(), CLASSES, c,
                        Normalize.imagenet(), null, Map.of()));
                assertTrue(detector.detect(FasterRcnnTest.stripes(80, 64), RECORD).isEmpty(), kind + ": no proposals, no detections");
                try (NDManager sub = model.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    List<BatchImage> meta = batch.images();
                    LossTerms loss = model.computeLosses(ps, sub.create(batch.pixels(), new Shape(batch.shape())), meta,
                            new SplittableRandom(1));
                    assertTrue(loss.get(LossTerms.ROI_CLS).getFloat() > 0, kind + ": the ground truth is still sampled");
                    gc.backward(loss.total());
                }
            });
        }
    }

    /** A damaged model directory is one line naming the file (and the field, for model.json). */
    @ParameterizedTest
    @MethodSource("kinds")
    void aDamagedModelDirectoryIsOneLineNamingTheFile(DetectorKind kind) throws Exception {
        Path dir = saved(kind);
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        String good = Files.readString(json);
        List<String> messages = new ArrayList<>();
        Files.writeString(json, good.replaceFirst("\"nms\" : 0\\.[0-9]+", "\"nms\" : 1.5"));
        messages.add(assertThrows(BadInputException.class, () -> Detector.load(dir)).getMessage());
        assertTrue(messages.get(0).contains("model.json") && messages.get(0).contains("config.") && messages.get(0).contains("nms"),
                messages.get(0));
        Files.writeString(json, good.substring(0, good.length() / 2));
        messages.add(assertThrows(BadInputException.class, () -> Detector.load(dir)).getMessage());
        assertTrue(messages.get(1).contains("model.json"), messages.get(1));
        Files.writeString(json, good);
        byte[] w = Files.readAllBytes(dir.resolve(ModelDirectory.WEIGHTS));
        w[w.length / 2] ^= 0x55;
        Files.write(dir.resolve(ModelDirectory.WEIGHTS), w);
        messages.add(assertThrows(BadInputException.class, () -> Detector.load(dir)).getMessage());
        assertTrue(messages.get(2).contains("weights.bin") && messages.get(2).contains("damaged"), messages.get(2));
        for (String m : messages) assertFalse(m.contains("\n"), "one line: " + m);
    }

    /** A model directory a later rcnn4j wrote is refused by its format version, not misread. */
    @ParameterizedTest
    @MethodSource("kinds")
    void aModelOfALaterFormatVersionIsRefused(DetectorKind kind) throws Exception {
        Path dir = saved(kind);
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        Files.writeString(json, Files.readString(json).replace("\"version\" : 1,", "\"version\" : 2,"));
        BadInputException e = assertThrows(BadInputException.class, () -> Detector.load(dir));
        assertEquals(json + ": version: format version 2 is newer than this rcnn4j reads (1); load it with the rcnn4j that"
                + " wrote it, or a later one", e.getMessage());
    }

    /**
     * weights.bin of another config (here model.json's fc6 edited; likewise weights copied from
     * another model with their checksum) is refused by the first parameter whose shape differs.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void weightsOfAnotherConfigAreRefusedByTheirShapes(DetectorKind kind) throws Exception {
        Path dir = saved(kind);
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        String good = Files.readString(json);
        java.util.regex.Matcher fc6 = java.util.regex.Pattern.compile("\"fc6\" : ([0-9]+)").matcher(good);
        assertTrue(fc6.find(), good);
        int width = Integer.parseInt(fc6.group(1));
        Files.writeString(json, fc6.replaceFirst("\"fc6\" : " + (width + 8)));
        BadInputException e = assertThrows(BadInputException.class, () -> Detector.load(dir));
        assertEquals(dir.resolve(ModelDirectory.WEIGHTS).toString(), e.file());
        assertTrue(e.where().contains("fc6"), e.getMessage());
        assertTrue(e.what().contains("(" + width + ", ") && e.what().contains("(" + (width + 8) + ", ")
                && e.what().endsWith("weights and config are of different models"), e.getMessage());
    }

    private Path saved(DetectorKind kind) throws java.io.IOException {
        Path dir = tmp.resolve(kind.name());
        try (DetectorModel model = create(kind)) {
            ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of());
        }
        return dir;
    }
}
