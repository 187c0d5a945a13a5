package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

class FastRcnnTest {
    @TempDir Path tmp;

    static final List<Category> CLASSES = FasterRcnnTest.CLASSES;
    static final ImageRecord RECORD = new ImageRecord(7, "x", "x.png", 80, 64, List.of());
    /** Proposals of every size, for image 7 only. */
    static final ProposalSource SOURCE = (record, pixels) -> {
        if (record.id() != 7) throw new IllegalArgumentException("no proposals for " + record.id());
        return new Proposals(new float[] {2, 2, 20, 18, 10, 5, 70, 60, 30, 20, 50, 40, 0, 0, 80, 64, 60, 40, 66, 47},
                new float[] {5, 4, 3, 2, 1});
    };

    /** The data-planned small config at s = 64 with every score kept, so that an untrained model detects. */
    static FastRcnnConfig tinyConfig() {
        FastRcnnConfig c = FastRcnnConfig.small("tiny", 2, 64);
        return new FastRcnnConfig(c.backbone(), 2, c.input(), c.pyramid(), c.maxProposals(), c.frozenStages(), c.roi(),
                new TestConfig(0f, 0.3f, 100));
    }

    static RgbImage image() {
        return FasterRcnnTest.stripes(80, 64);
    }

    @Test
    void saveLoadDetectGivesIdenticalDetectionsAtOneScaleAndOnAPyramid() throws Exception {
        for (FastRcnnConfig config : List.of(tinyConfig(), tinyConfig().withPyramid(200, 48, 96, 160))) {
            Path dir = tmp.resolve("model" + config.pyramid().testScales().length);
            List<Detection> before;
            try (FastRcnn model = FastRcnn.create(config, 3, null)) {
                ModelDirectory.save(dir, model, CLASSES, Normalize.imagenet(), Map.of());
                before = Detector.of(model, ModelDirectory.describe(dir)).useProposals(SOURCE).detect(image(), RECORD);
            }
            assertFalse(before.isEmpty(), "a score threshold of 0 keeps detections of an untrained model");
            try (Detector loaded = Detector.load(dir)) {
                assertTrue(loaded.takesProposals());
                assertEquals("fast-rcnn", loaded.description().detector());
                FastRcnnConfig read = (FastRcnnConfig) loaded.description().config();
                assertEquals(config.pyramid(), read.pyramid());
                assertArrayEquals(config.input().trainScales(), read.input().trainScales());
                assertEquals(before, loaded.useProposals(SOURCE).detect(image(), RECORD));
            }
            for (Detection d : before) {
                assertEquals(7, d.imageId());
                assertTrue(d.x1() >= 0 && d.x2() <= 80 && d.y1() >= 0 && d.y2() <= 64, "boxes in the original image: " + d);
            }
        }
    }

    @Test
    void oneTestScaleMatchesTheBatchedSingleScalePath() {
        try (FastRcnn model = FastRcnn.create(tinyConfig(), 3, null); NDManager sub = model.manager().newSubManager()) {
            model.useProposals(SOURCE);
            ParameterStore ps = new ParameterStore(model.manager(), false);
            ImageDetections pyramid = model.detect(ps, sub, image(), RECORD, Normalize.imagenet(), StageTimes.none());
            PreparedImage prepared = PreparedImage.forInference(image(), RECORD, null, 64, 107);
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), Normalize.imagenet(), 1);
            NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
            ImageDetections batched = model.detect(ps, x, batch.images(), StageTimes.none()).get(0);
            assertEquals(batched.size(), pyramid.size());
            assertArrayEquals(batched.scores(), pyramid.scores(), 1e-5f);
            assertArrayEquals(batched.boxes(), pyramid.boxes(), 1e-3f);
        }
    }

    @Test
    void withoutProposalsItSaysSoInOneLine() throws Exception {
        try (FastRcnn model = FastRcnn.create(tinyConfig(), 3, null)) {
            Detector detector = Detector.of(model, new ModelDirectory.Description("fast-rcnn", CLASSES, model.config(),
                    Normalize.imagenet(), null, Map.of()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> detector.detect(image(), RECORD));
            assertTrue(e.getMessage().contains("proposals") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anImageWithoutProposalsHasNoDetections() {
        try (FastRcnn model = FastRcnn.create(tinyConfig(), 3, null); NDManager sub = model.manager().newSubManager()) {
            model.useProposals((r, px) -> new Proposals(new float[0], new float[0]));
            ImageDetections d = model.detect(new ParameterStore(model.manager(), false), sub, image(), RECORD,
                    Normalize.imagenet(), StageTimes.none());
            assertEquals(0, d.size());
        }
    }

    @Test
    void theFirstBlockIsFrozenAndTheLossIsTheHeadsOnly() {
        ImageRecord record = new ImageRecord(7, "x", "x.png", 80, 64, List.of(Annotation.of(1, 2, 10, 5, 70, 60)));
        Dataset data = new Dataset(null, List.of(), CLASSES, List.of(record));
        try (FastRcnn model = FastRcnn.create(tinyConfig(), 3, null); NDManager sub = model.manager().newSubManager()) {
            model.useProposals(SOURCE);
            int frozen = 0;
            for (Pair<String, Parameter> p : model.backbone().getParameters()) {
                boolean first = p.getKey().startsWith("01C1_");
                assertEquals(!first, p.getValue().requiresGradient(), p.getKey());
                if (first) frozen++;
            }
            assertTrue(frozen > 0, "C1 has parameters, all frozen");
            PreparedImage prepared = PreparedImage.prepare(image(), record, null, data, 64, 107, true);
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), Normalize.imagenet(), 1);
            for (Parameter p : model.roiHeads().boxHead().getParameters().values()) p.getArray().setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = sub.create(batch.pixels(), new Shape(batch.shape()));
                LossTerms terms = model.computeLosses(new ParameterStore(sub, false), x, batch.images(), new SplittableRandom(1));
                assertEquals(List.of("roi_cls", "roi_box"), List.copyOf(terms.values().keySet()));
                assertTrue(terms.values().get("roi_box") > 0, "a foreground RoI has box targets: " + terms.values());
                gc.backward(terms.total());
            }
        }
    }

    @Test
    void aBatchWithoutObjectsOrProposalsHasAZeroLoss() {
        Dataset data = new Dataset(null, List.of(), CLASSES, List.of(RECORD));
        try (FastRcnn model = FastRcnn.create(tinyConfig(), 3, null); NDManager sub = model.manager().newSubManager()) {
            model.useProposals((r, px) -> new Proposals(new float[0], new float[0]));
            PreparedImage prepared = PreparedImage.prepare(image(), RECORD, null, data, 64, 107, false);
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), Normalize.imagenet(), 1);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                LossTerms terms = model.computeLosses(new ParameterStore(sub, false),
                        sub.create(batch.pixels(), new Shape(batch.shape())), batch.images(), new SplittableRandom(1));
                assertEquals(0f, terms.total().getFloat());
                gc.backward(terms.total());
            }
        }
    }

    @Test
    void onlyFastRcnnTakesProposals() throws Exception {
        assertTrue(DetectorKinds.find("fast-rcnn").orElseThrow().takesProposals());
        assertFalse(FasterRcnn.KIND.takesProposals());
        try (FasterRcnn faster = FasterRcnn.create(FasterRcnnTest.tinyConfig(), 3)) {
            Detector d = Detector.of(faster, new ModelDirectory.Description("faster-rcnn", CLASSES, faster.config(),
                    Normalize.imagenet(), null, Map.of()));
            assertFalse(d.takesProposals());
            assertThrows(IllegalArgumentException.class, () -> d.useProposals(SOURCE));
        }
    }

    @Test
    void thePapersConfigs() {
        FastRcnnConfig p = FastRcnnConfig.paper("vgg16", 20);
        assertEquals(64, p.roi().perImage());
        assertEquals(0.1f, p.roi().bgLow());
        assertEquals(PoolerType.ROI_POOL, p.roi().pooler());
        assertEquals(0.3f, p.test().nms());
        assertFalse(p.multiScale());
        FastRcnnConfig m = FastRcnnConfig.paperPyramid("vgg16", 20);
        assertArrayEquals(new int[] {480, 576, 688, 864, 1200}, m.input().trainScales());
        assertArrayEquals(new int[] {480, 576, 688, 864, 1200}, m.pyramid().testScales());
        assertEquals(2000, m.input().maxSize());
        assertTrue(m.multiScale());
    }
}
