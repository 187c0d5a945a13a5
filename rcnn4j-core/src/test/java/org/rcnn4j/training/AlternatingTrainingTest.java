package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.DetectorModel;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.ShapesLearning;
import org.rcnn4j.training.AlternatingTraining.Step;

class AlternatingTrainingTest {
    @TempDir static Path data;
    @TempDir Path tmp;
    static Dataset shapes;

    @BeforeAll
    static void makeData() {
        shapes = new ShapesGenerator().generate(new SynthSpec("train", 8, 64, 5), data, n -> {});
    }

    static FasterRcnnConfig tinyConfig() {
        return FasterRcnnConfig.small("tiny", shapes.numClasses(), 64, new float[] {16, 32});
    }

    static DetectorTraining.Request request(Path out, long iterations, int checkpointEvery, boolean resume) {
        TrainingConfig tc = new TrainingConfig(iterations, 2, 0.01f, 0.9f, 1e-4f, 2, new double[] {0.75}, 0.1f, 0.5, 11,
                checkpointEvery, 0);
        return new DetectorTraining.Request(FasterRcnn.KIND, shapes, null, out, tinyConfig(), null, null, tc, resume);
    }

    /** Each block's parameters as float arrays, by block name then parameter order. */
    static Map<String, List<float[]>> snapshot(org.rcnn4j.detector.TrainableDetector model) {
        Map<String, List<float[]>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Block> b : model.blocks().entrySet()) {
            List<float[]> w = new ArrayList<>();
            for (Pair<String, Parameter> p : b.getValue().getParameters()) w.add(p.getValue().getArray().toFloatArray());
            m.put(b.getKey(), w);
        }
        return m;
    }

    static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            // Bit-identical: Arrays.equals on floats compares bit patterns (NaN-safe, -0 ≠ 0).
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) return false;
        }
        return a.size() == b.size();
    }

    @Test
    void budgetIsSplitAsPyFasterRcnnsSolvers() {
        assertArrayEquals(new long[] {400, 200, 400, 200}, AlternatingTraining.stepIterations(1200));
        assertArrayEquals(new long[] {80000, 40000, 80000, 40000}, AlternatingTraining.stepIterations(240000));
        assertArrayEquals(new long[] {2, 1, 2, 1}, AlternatingTraining.stepIterations(6));
        // 7 / 3 = 2.33 → 2, 7 / 6 = 1.17 → 1: the rest goes to step 4.
        assertArrayEquals(new long[] {2, 1, 2, 2}, AlternatingTraining.stepIterations(7));
        assertThrows(IllegalArgumentException.class, () -> AlternatingTraining.stepIterations(5));
    }

    /**
     * Steps 1-2 train two separate networks and keep the step-1 RPN fixed; steps 3 and 4 keep the
     * shared backbone bit-identical while the unique layers change; the saved model is the
     * detection network with the facts of the schedule.
     */
    @Test
    void sharedLayersStayFixedInStepsThreeAndFour() throws Exception {
        Path out = tmp.resolve("model");
        Map<Step, Map<String, List<float[]>>> after = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        FasterRcnn[] networks = new FasterRcnn[2];
        Map<String, List<float[]>>[] stepOneRpnAtStepTwoEnd = new Map[1];
        AlternatingTraining.run(request(out, 12, 0, false), new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {
                events.add("it" + s.losses().keySet());
            }

            @Override
            public void onStageStart(TrainingStage stage, int number, int count) {
                events.add("start " + number + " " + stage.size());
            }

            @Override
            public void onStageEnd(TrainingStage stage, int number, int count) {
                Step step = Step.values()[number - 1];
                assertEquals(step.stageName(), stage.name());
                FasterRcnn network = (FasterRcnn) ((SgdStage) stage).network();
                after.put(step, snapshot(network));
                if (step == Step.RPN) networks[0] = network;
                if (step == Step.FAST_RCNN) {
                    networks[1] = network;
                    stepOneRpnAtStepTwoEnd[0] = snapshot(networks[0]);
                }
            }
        }, null);

        assertEquals(List.of("start 1 4"), events.subList(0, 1));
        assertEquals("it[rpn_cls, rpn_box]", events.get(1));
        assertEquals("start 2 2", events.get(5));
        assertEquals("it[roi_cls, roi_box]", events.get(6));
        assertEquals("start 3 4", events.get(8));
        assertEquals("start 4 2", events.get(13));
        assertEquals(16, events.size());
        assertTrue(networks[0] != networks[1], "steps 1 and 2 train separate networks");

        Map<String, List<float[]>> s1 = after.get(Step.RPN);
        Map<String, List<float[]>> s2 = after.get(Step.FAST_RCNN);
        Map<String, List<float[]>> s3 = after.get(Step.SHARED_RPN);
        Map<String, List<float[]>> s4 = after.get(Step.SHARED_FAST_RCNN);
        // Step 2: the step-1 RPN network only proposes; the detection network's backbone learns on its own.
        for (String b : s1.keySet()) assertTrue(same(s1.get(b), stepOneRpnAtStepTwoEnd[0].get(b)), "step-1 " + b + " fixed in step 2");
        assertFalse(same(s1.get("backbone"), s2.get("backbone")), "the two networks share no conv layers");
        // Step 3: shared backbone and box head fixed, the RPN head learns.
        assertTrue(same(s2.get("backbone"), s3.get("backbone")), "backbone fixed in step 3");
        assertTrue(same(s2.get("box_head"), s3.get("box_head")), "box head untouched in step 3");
        assertFalse(same(s2.get("rpn_head"), s3.get("rpn_head")), "RPN head learns in step 3");
        // Step 4: shared backbone and RPN head fixed, the box head learns.
        assertTrue(same(s2.get("backbone"), s4.get("backbone")), "backbone fixed in step 4");
        assertTrue(same(s3.get("rpn_head"), s4.get("rpn_head")), "RPN head fixed in step 4");
        assertFalse(same(s3.get("box_head"), s4.get("box_head")), "box head learns in step 4");

        ModelDirectory.Description d = ModelDirectory.describe(out);
        assertEquals("alternating", d.training().get("schedule"));
        assertEquals(List.of(4, 2, 4, 2), d.training().get("step_iterations"));
        assertFalse(Files.exists(out.resolve("checkpoint")), "the finished model drops its checkpoints");
        try (DetectorModel loaded = ModelDirectory.load(out, d)) {
            Map<String, List<float[]>> saved = snapshot(loaded);
            for (String b : s4.keySet()) assertTrue(same(s4.get(b), saved.get(b)), b + " saved as trained");
        }
    }

    /** A run stopped after step 2 and resumed ends with the weights of an uninterrupted run. */
    @Test
    void resumeAfterAStepEqualsAnUninterruptedRun() throws Exception {
        Path straight = tmp.resolve("straight");
        AlternatingTraining.run(request(straight, 12, 0, false), s -> {}, null);
        Path stopped = tmp.resolve("stopped");
        assertThrows(StopAt.class, () -> AlternatingTraining.run(request(stopped, 12, 0, false), new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {}

            @Override
            public void onStageStart(TrainingStage stage, int number, int count) {
                if (number == Step.SHARED_RPN.number()) throw new StopAt();
            }
        }, null));
        assertTrue(AlternatingTraining.hasCheckpoint(stopped));
        List<Long> resumedIterations = new ArrayList<>();
        DetectorTraining.Outcome o = AlternatingTraining.run(request(stopped, 12, 0, true),
                s -> resumedIterations.add(s.iteration()), null);
        assertEquals(List.of(0L, 1L, 2L, 3L, 0L, 1L), resumedIterations, "steps 3 and 4 only");
        assertEquals(6, o.history().get(0).iteration(), "history counts over the whole run");
        try (DetectorModel a = ModelDirectory.load(straight, ModelDirectory.describe(straight));
                DetectorModel b = ModelDirectory.load(stopped, ModelDirectory.describe(stopped))) {
            Map<String, List<float[]>> wa = snapshot(a);
            Map<String, List<float[]>> wb = snapshot(b);
            for (String k : wa.keySet()) {
                for (int i = 0; i < wa.get(k).size(); i++) assertArrayEquals(wa.get(k).get(i), wb.get(k).get(i), 1e-5f, k);
            }
        }
        // Resuming with another budget is refused, naming the field.
        Path again = tmp.resolve("again");
        assertThrows(StopAt.class, () -> AlternatingTraining.run(request(again, 12, 0, false), new TrainingListener() {
            @Override
            public void onIteration(IterationStats s) {}

            @Override
            public void onStageStart(TrainingStage stage, int number, int count) {
                if (number == Step.FAST_RCNN.number()) throw new StopAt();
            }
        }, null));
        org.rcnn4j.io.BadInputException e = assertThrows(org.rcnn4j.io.BadInputException.class,
                () -> AlternatingTraining.run(request(again, 18, 0, true), s -> {}, null));
        assertTrue(e.getMessage().contains("step_iterations"), e.getMessage());
    }

    /**
     * The alternating schedule learns (issue 3's "shorter test"): as in the paper, every step starts
     * from a pre-trained backbone (here tiny on Fashion-MNIST labels, {@link ShapesLearning#pretrainedTiny()});
     * the config a user gets from the data; {@value #ITERATIONS} iterations split 1/3, 1/6, 1/3, 1/6;
     * measured on {@link org.rcnn4j.detector.ShapesLearning}'s val split.
     */
    @Test
    @Tag("learning")
    void alternatingTrainingLearnsShapes() throws Exception {
        Dataset train = ShapesLearning.shapes(tmp, "train", 600);
        Dataset val = ShapesLearning.shapes(tmp, "val", 100);
        Path out = tmp.resolve("model");
        DetectorTraining.Outcome outcome = AlternatingTraining.run(new DetectorTraining.Request(FasterRcnn.KIND, train, null,
                out, null, "tiny", ShapesLearning.pretrainedTiny(), ShapesLearning.solver(ITERATIONS, 0.04f), false), s -> {}, null);
        try (Detector detector = Detector.load(out)) {
            double map = ShapesLearning.voc07(detector, val);
            System.out.printf("tiny Faster R-CNN, alternating %d iterations on 600 shapes: val voc07 mAP %.3f in %.0f s, steps %s s%n",
                    ITERATIONS, map, outcome.seconds(), detector.description().training().get("step_seconds"));
            // Measured 0.803 in 193 s of training (the joint test: 0.900 in 283 s); 0.759 with 2400
            // iterations (all 2026-11-24, commit 27f32ee). The goal is 0.80. The margin absorbs
            // floating-point differences between CPUs.
            assertTrue(map >= 0.72, "val voc07 mAP " + map);
        }
    }

    static final long ITERATIONS = 3600;

    static final class StopAt extends RuntimeException {}
}
