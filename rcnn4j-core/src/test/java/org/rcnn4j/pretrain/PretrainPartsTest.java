package org.rcnn4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.Normalize;

/** The pieces of pre-training that need no data: schedule, loss, accuracy, order, sidecar. */
class PretrainPartsTest {
    @TempDir
    Path dir;

    @Test
    void scheduleWarmsUpLinearlyThenFollowsHalfACosine() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(0.1f, 10, 111);
        assertEquals(0.01f, s.getNewValue(1), 1e-7);
        assertEquals(0.05f, s.getNewValue(5), 1e-7);
        assertEquals(0.1f, s.getNewValue(10), 1e-7);
        assertEquals(0.1f, s.getNewValue(11), 1e-7);
        // Halfway through the cosine (t = 11 + 100 / 2): low + (base - low) / 2 with low = 0.001.
        assertEquals(0.001 + 0.099 / 2, s.getNewValue(61), 1e-6);
        assertEquals(0.001f, s.getNewValue(111), 1e-7);
        assertEquals(0.001f, s.getNewValue(500), 1e-7);
        assertEquals(0.1f, new WarmupCosineSchedule(0.1f, 0, 5).getNewValue(0), 1e-7);
    }

    @Test
    void crossEntropyAndAccuracyByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] scores = new float[20];
            scores[3] = 2; // row 0: class 3 wins
            scores[10 + 7] = 1; // row 1: class 7 wins
            int[] labels = {3, 0};
            // Row 0: -log(e^2 / (e^2 + 9)); row 1: -log(1 / (e + 9)).
            double expected = (-Math.log(Math.exp(2) / (Math.exp(2) + 9)) - Math.log(1 / (Math.E + 9))) / 2;
            float loss = BackbonePretrainer.crossEntropy(m.create(scores, new Shape(2, 10)), labels, m).getFloat();
            assertEquals(expected, loss, 1e-5);
            assertEquals(0.5f, BackbonePretrainer.accuracy(scores, labels));
        }
    }

    @Test
    void shuffleIsASeededPermutation() {
        int[] a = BackbonePretrainer.shuffled(1000, 9);
        assertArrayEquals(a, BackbonePretrainer.shuffled(1000, 9));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        assertTrue(!Arrays.equals(a, BackbonePretrainer.shuffled(1000, 10)));
    }

    /** SPP-net's network gives fc6 the same length at both training sizes (§2.2), and keeps fc6, fc7 with their pyramid. */
    @Test
    void sppClassifierTakesBothSizesAndKeepsItsLayers() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ClassificationHead head = ClassificationHead.of(PretrainConfig.Classifier.SPP, 10, 16);
            head.initializeWeights(1);
            head.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(2, 8, 1, 1),
                    new ai.djl.ndarray.types.Shape(2, 4));
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            for (int side : new int[] {4, 3, 7}) {
                ai.djl.ndarray.NDArray map = m.randomUniform(0, 1, new ai.djl.ndarray.types.Shape(2, 8, side, side));
                ai.djl.ndarray.NDArray out = head.forward(ps, new ai.djl.ndarray.NDList(map, m.zeros(new ai.djl.ndarray.types.Shape(2, 4))),
                        false).singletonOrThrow();
                assertEquals(new ai.djl.ndarray.types.Shape(2, 10), out.getShape(), side + "x" + side + " map");
            }
            org.rcnn4j.modeling.backbone.PretrainedFc fc = head.pretrainedFc(8);
            assertEquals(List.of(6, 3, 2, 1), fc.sppLevels());
            assertEquals(8 * 50, fc.channels() * fc.cellsPerChannel());
        }
    }

    /** Multi-size training (SPP-net §2.3): whole epochs alternate between the two sizes, 180/224 of the first. */
    @Test
    void multiSizeTrainingAlternatesWholeEpochs() {
        PretrainConfig c = PretrainConfig.defaults("resnet18-w0.5", 100).withItems(320, 10).multiSize();
        assertEquals(96, c.imageSize());
        assertEquals(77, c.secondSize(), "96 · 180/224 = 77.1");
        // 320 items at 32 per batch: iterations 0..9 are epoch 0, 10..19 epoch 1, 20.. epoch 2.
        assertEquals(List.of(96, 96, 77, 77, 96), List.of(c.sizeAt(0), c.sizeAt(9), c.sizeAt(10), c.sizeAt(19), c.sizeAt(20)));
        assertEquals(96, PretrainConfig.defaults("zf", 100).sizeAt(15), "single-size");
        assertThrows(IllegalArgumentException.class, () -> new PretrainConfig("zf", 64, 8, 10, 0.1f, 0, 0.9f, 0f, 100, 10, 1,
                PretrainConfig.Classifier.SPP, 64));
    }

    @Test
    void sidecarRoundTripsAndNamesBadFields() throws IOException {
        Path weights = dir.resolve("zf.weights");
        PretrainedInfo info = new PretrainedInfo("zf", 96, Normalize.imagenet(), 0.8125, 10_000, 3000, 50_000, 7,
                PretrainConfig.Classifier.BOX_HEAD);
        info.write(weights);
        assertEquals(dir.resolve("zf.weights.json"), PretrainedInfo.sidecarOf(weights));
        assertEquals(info, PretrainedInfo.read(weights));
        PretrainedInfo multi = new PretrainedInfo("zf", 96, Normalize.imagenet(), 0.7, 10_000, 3000, 50_000, 7,
                PretrainConfig.Classifier.SPP, 77, 0.68);
        multi.write(weights);
        assertEquals(multi, PretrainedInfo.read(weights), "the pyramid, the second size and its accuracy read back");
        // Sidecars written before the box classifier have no "classifier": they pooled globally.
        Files.writeString(PretrainedInfo.sidecarOf(weights), "{\"backbone\": \"zf\", \"imageSize\": 96, \"validationAccuracy\": 0.5,"
                + " \"normalize\": {\"mean\": [0.4, 0.4, 0.4], \"std\": [1, 1, 1], \"unitRange\": true}}");
        assertEquals(PretrainConfig.Classifier.GLOBAL, PretrainedInfo.read(weights).classifier());
        Files.writeString(PretrainedInfo.sidecarOf(weights), "{\"backbone\": \"zf\", \"imageSize\": 96, \"validationAccuracy\": 0.5,"
                + " \"normalize\": {\"mean\": [0.4, 0.4, 0.4], \"std\": [1, 1, 1], \"unitRange\": true},"
                + " \"classifier\": {\"poolSize\": 7, \"fc6\": 0, \"fc7\": 512}}");
        assertEquals("classifier", assertThrows(BadInputException.class, () -> PretrainedInfo.read(weights)).where());
        Files.writeString(PretrainedInfo.sidecarOf(weights), "{\"backbone\": \"zf\", \"imageSize\": 96, \"validationAccuracy\": 0.5,"
                + " \"normalize\": {\"mean\": [0.4, 0.4], \"std\": [1, 1, 1], \"unitRange\": true}}");
        BadInputException e = assertThrows(BadInputException.class, () -> PretrainedInfo.read(weights));
        assertEquals("normalize.mean", e.where());
        Files.writeString(PretrainedInfo.sidecarOf(weights), "{\"backbone\": \"zf\"");
        assertThrows(BadInputException.class, () -> PretrainedInfo.read(weights));
        assertThrows(BadInputException.class, () -> PretrainedInfo.read(dir.resolve("none.weights")));
    }

    /** Each side moves by at most 10 % of the box's size; the box stays inside the image and non-empty. */
    @Test
    void jitteredBoxesStayNearTheItem() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] box = {10, 20, 60, 40};
        boolean moved = false;
        for (int i = 0; i < 1000; i++) {
            float[] j = BackbonePretrainer.jittered(box, rng, 96);
            assertEquals(10, j[0], 5.0001);
            assertEquals(20, j[1], 2.0001);
            assertEquals(60, j[2], 5.0001);
            assertEquals(40, j[3], 2.0001);
            moved |= !Arrays.equals(box, j);
        }
        assertTrue(moved);
        float[] edge = BackbonePretrainer.jittered(new float[] {0, 0, 96, 96}, new java.util.SplittableRandom(1), 96);
        assertTrue(edge[0] >= 0 && edge[1] >= 0 && edge[2] <= 96 && edge[3] <= 96 && edge[2] > edge[0] && edge[3] > edge[1]);
    }

    @Test
    void classifierIsGlobalOrAWholeBoxHead() {
        assertFalse(PretrainConfig.Classifier.GLOBAL.boxHead());
        assertTrue(PretrainConfig.Classifier.BOX_HEAD.boxHead());
        assertThrows(IllegalArgumentException.class, () -> new PretrainConfig.Classifier(7, 0, 512));
        assertThrows(IllegalArgumentException.class, () -> new PretrainConfig.Classifier(0, 512, 512));
        assertThrows(IllegalArgumentException.class, () -> PretrainConfig.defaults("tiny", 10).withClassifier(null));
    }

    @Test
    void configRejectsNonsense() {
        PretrainConfig ok = PretrainConfig.defaults("tiny", 100);
        assertEquals(64, ok.imageSize());
        assertThrows(IllegalArgumentException.class, () -> ok.withItems(0, 10));
        assertThrows(IllegalArgumentException.class, () -> ok.withItems(100, 10_001));
        assertThrows(IllegalArgumentException.class, () -> ok.withLearningRate(Float.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> ok.withLearningRate(0.1f, 100));
    }
}
