package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.Rcnn;
import org.rcnn4j.detector.RcnnConfig;
import org.rcnn4j.detector.SppNet;
import org.rcnn4j.detector.SppNetConfig;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.proposals.SelectiveSearch;
import org.rcnn4j.proposals.SelectiveSearchSource;

/** R-CNN's multi-stage training on a few images: the stages, the saved model, an interrupted run resumed. */
class RcnnTrainingTest {
    @TempDir Path tmp;

    private DetectorTraining.Request request(Dataset train, Path out, boolean resume) {
        RcnnConfig config = RcnnConfig.small("tiny", train.numClasses(), 128).withMaxProposals(300);
        return new DetectorTraining.Request(Rcnn.KIND, train, null, out, config, "tiny", null,
                TrainingConfig.defaults(12, 3).withCheckpointEvery(0).withThreads(1), resume,
                new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 300, 3), null);
    }

    /** SPP-net at two scales, fine-tuning checkpointed every 5 of its 12 iterations. */
    private DetectorTraining.Request sppRequest(Dataset train, Path out, boolean resume) {
        SppNetConfig config = SppNetConfig.smallPyramid("tiny", train.numClasses(), 128).withScales(64, 96, 128)
                .withMaxProposals(300);
        return new DetectorTraining.Request(SppNet.KIND, train, null, out, config, "tiny", null,
                TrainingConfig.defaults(12, 3).withCheckpointEvery(5).withThreads(1), resume,
                new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 300, 3), null);
    }

    /** A listener that throws once the stage named {@code name} has finished. */
    private static TrainingListener stopAfter(String name) {
        return new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {}

            @Override
            public void onStageEnd(TrainingStage stage, int number, int count) {
                if (stage.name().equals(name)) throw new IllegalStateException("stopped");
            }
        };
    }

    /** A listener that records the names of the stages that start. */
    private static TrainingListener recordStages(List<String> stages) {
        return new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {}

            @Override
            public void onStageStart(TrainingStage stage, int number, int count) {
                stages.add(stage.name());
            }
        };
    }

    @Test
    void theStagesFillTheModelAndAnInterruptedRunResumesToTheSameModel() throws Exception {
        Dataset train = new ShapesGenerator().generate(new SynthSpec("train", 6, 128, 5), tmp.resolve("data"), n -> {});
        Path whole = tmp.resolve("whole");
        DetectorTraining.Outcome outcome = DetectorTraining.run(request(train, whole, false), Rcnn.MULTI_STAGE, s -> {}, null);
        assertEquals(12, outcome.history().size(), "the SGD iterations are fine-tuning's");
        assertFalse(Files.exists(whole.resolve(RcnnTraining.FEATURE_CACHE)), "the cache is removed once the model is saved");
        assertFalse(Files.exists(whole.resolve("checkpoint")));
        ModelDirectory.Description d = ModelDirectory.describe(whole);
        assertEquals("multi-stage", d.training().get("schedule"));
        assertTrue(((Number) d.training().get("feature_cache_bytes")).longValue() > 0);
        try (Detector detector = Detector.load(whole)) {
            Rcnn model = (Rcnn) detector.model();
            assertTrue(model.predictor().svms().trained() && model.predictor().regressors().trained());
            assertTrue(model.scoresAreMargins());
            assertEquals(model.config().roi().fc7(), model.predictor().svms().dimension());
        }

        // The same run, stopped after its features stage, then resumed.
        Path stopped = tmp.resolve("stopped");
        assertThrows(IllegalStateException.class,
                () -> DetectorTraining.run(request(train, stopped, false), Rcnn.MULTI_STAGE, stopAfter("features"), null));
        assertEquals(java.util.Optional.of(Rcnn.MULTI_STAGE), DetectorTraining.checkpointSchedule(stopped));
        assertTrue(Files.isDirectory(stopped.resolve(RcnnTraining.FEATURE_CACHE)));
        List<String> stages = new java.util.ArrayList<>();
        DetectorTraining.run(request(train, stopped, true), Rcnn.MULTI_STAGE, recordStages(stages), null);
        assertEquals(List.of("svms", "box-regression"), stages, "a resume runs what is left");
        assertEquals(ModelDirectory.describe(whole).weightsSha256(), ModelDirectory.describe(stopped).weightsSha256(),
                "resumed, the same network, SVMs and regressors");
    }

    /**
     * SPP-net's pipeline stopped after its pooled-window cache, and again inside fine-tuning (after its
     * first checkpoint), resumes to the model of an uninterrupted run: the cache is read back, not
     * recomputed, and fine-tuning continues from its checkpoint on the same batches.
     */
    @Test
    void sppNetResumesFromItsWindowCacheAndFromAFineTuningCheckpoint() throws Exception {
        Dataset train = new ShapesGenerator().generate(new SynthSpec("train", 5, 128, 5), tmp.resolve("data"), n -> {});
        Path whole = tmp.resolve("spp-whole");
        DetectorTraining.Outcome outcome = DetectorTraining.run(sppRequest(train, whole, false), Rcnn.MULTI_STAGE, s -> {}, null);
        assertEquals(12, outcome.history().size(), "the SGD iterations are fine-tuning's");
        assertEquals(List.of("pooled-features", "fine-tune", "features", "svms", "box-regression"),
                ModelDirectory.describe(whole).training().get("stages"));
        assertFalse(Files.exists(whole.resolve(RcnnTraining.FEATURE_CACHE)), "the caches are removed once the model is saved");

        Path afterCache = tmp.resolve("spp-after-cache");
        assertThrows(IllegalStateException.class, () -> DetectorTraining.run(sppRequest(train, afterCache, false),
                Rcnn.MULTI_STAGE, stopAfter("pooled-features"), null));
        List<String> stages = new java.util.ArrayList<>();
        DetectorTraining.run(sppRequest(train, afterCache, true), Rcnn.MULTI_STAGE, recordStages(stages), null);
        assertEquals(List.of("fine-tune", "features", "svms", "box-regression"), stages, "a resume runs what is left");
        assertEquals(ModelDirectory.describe(whole).weightsSha256(), ModelDirectory.describe(afterCache).weightsSha256(),
                "resumed after the window cache, the same model");

        Path inFineTuning = tmp.resolve("spp-in-fine-tuning");
        TrainingListener stopAtIteration7 = new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {
                if (s.iteration() == 7) throw new IllegalStateException("stopped");
            }
        };
        assertThrows(IllegalStateException.class, () -> DetectorTraining.run(sppRequest(train, inFineTuning, false),
                Rcnn.MULTI_STAGE, stopAtIteration7, null));
        List<Long> resumed = new java.util.ArrayList<>();
        DetectorTraining.run(sppRequest(train, inFineTuning, true), Rcnn.MULTI_STAGE, s -> resumed.add(s.iteration()), null);
        assertEquals(5L, resumed.get(0), "fine-tuning continues from its checkpoint after iteration 5");
        assertEquals(ModelDirectory.describe(whole).weightsSha256(), ModelDirectory.describe(inFineTuning).weightsSha256(),
                "resumed inside fine-tuning, the same model");
    }

    @Test
    void negativesAreTheRegionsBelowTheIoUWithEveryBoxOfTheClass() {
        GroundTruth gt = new GroundTruth(new float[] {0, 0, 10, 10, 20, 20, 30, 30}, new int[] {1, 2});
        float[] boxes = {0, 0, 10, 10, 20, 20, 30, 30, 0, 0, 10, 5, 0, 0, 10, 2, 50, 50, 60, 60};
        // IoU with class 1's box: 1, 0, 0.5, 0.2, 0
        assertArrayEquals(new int[] {1, 3, 4}, SvmTraining.negatives(boxes, gt, 1, 0.3f));
        assertArrayEquals(new int[] {0, 2, 3, 4}, SvmTraining.negatives(boxes, gt, 2, 0.3f));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, SvmTraining.negatives(boxes, gt, 3, 0.3f), "a class without boxes: all");
        assertArrayEquals(new int[] {1}, SvmTraining.rowsOfClass(gt.classes(), 2));
        assertArrayEquals(new int[] {0, 1}, RegionFeatureCaching.regressionRows(boxes, gt.boxes(), 0.6f),
                "regression pairs: IoU above 0.6 with some ground truth");
        assertArrayEquals(new int[] {0, 1, 2}, RegionFeatureCaching.regressionRows(boxes, gt.boxes(), 0.45f));
    }
}
