package org.rcnn4j.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.preprocess.LoaderConfig;

class DetectorTrainerTest {
    @TempDir static Path data;
    @TempDir Path tmp;
    static Dataset shapes;

    @BeforeAll
    static void makeData() {
        shapes = new ShapesGenerator().generate(new SynthSpec("train", 8, 64, 5), data, n -> {});
    }

    static FasterRcnnConfig config() {
        return FasterRcnnConfig.small("tiny", shapes.numClasses(), 64, new float[] {16, 32});
    }

    static LoaderConfig loader() {
        return LoaderConfig.fastRcnnTraining(0).withScales(107, 64).withThreads(0);
    }

    static TrainingConfig training(long iterations, float lr, int checkpointEvery) {
        return new TrainingConfig(iterations, 2, lr, 0.9f, 1e-4f, 2, new double[] {0.75}, 0.1f, 0.5, 11,
                checkpointEvery, 0);
    }

    static List<float[]> weights(FasterRcnn model) {
        List<float[]> w = new ArrayList<>();
        for (Parameter p : DetectorTrainer.parameters(model)) w.add(p.getArray().toFloatArray());
        return w;
    }

    /** Resuming from a checkpoint continues exactly as the uninterrupted run. */
    @Test
    void resumeEqualsAnUninterruptedRun() throws Exception {
        List<float[]> straight;
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            new DetectorTrainer(training(6, 0.01f, 0)).train(model, shapes, loader(), new Checkpoints(tmp.resolve("a")), false, s -> {});
            straight = weights(model);
        }
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            // Stop after the checkpoint at 3 by running a 3-iteration schedule of the same length... the
            // schedule depends on the total, so checkpoint at 3 inside a 6-iteration run instead:
            TrainingConfig six = training(6, 0.01f, 3);
            List<IterationStats> seen = new ArrayList<>();
            assertThrows(StopAt.class, () -> new DetectorTrainer(six).train(model, shapes, loader(),
                    new Checkpoints(tmp.resolve("b")), false, new DetectorTrainer.Listener() {
                        @Override
                        public void onIteration(IterationStats s) {
                            seen.add(s);
                        }

                        @Override
                        public void onCheckpoint(long done) {
                            throw new StopAt();
                        }
                    }));
            assertEquals(3, seen.size());
        }
        try (FasterRcnn model = FasterRcnn.create(config(), 99)) {
            List<IterationStats> rest = new DetectorTrainer(training(6, 0.01f, 3)).train(model, shapes, loader(),
                    new Checkpoints(tmp.resolve("b")), true, s -> {});
            assertEquals(3, rest.size());
            assertEquals(3, rest.get(0).iteration());
            List<float[]> resumed = weights(model);
            for (int i = 0; i < straight.size(); i++) assertArrayEquals(straight.get(i), resumed.get(i), 1e-5f);
        }
    }

    /** A diverging run stops with a clear message and leaves the last good checkpoint as it was. */
    @Test
    void divergenceStopsAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path dir = tmp.resolve("c");
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            new DetectorTrainer(training(4, 0.01f, 2)).train(model, shapes, loader(), new Checkpoints(dir), false, s -> {});
        }
        Map<String, byte[]> before = files(dir.resolve("checkpoint"));
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                    new DetectorTrainer(training(40, 1e9f, 0)).train(model, shapes, loader(), new Checkpoints(dir), true, s -> {}));
            assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("checkpoint"), e.getMessage());
        }
        assertFilesEqual(before, files(dir.resolve("checkpoint")));
        // ... and it still restores.
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            assertEquals(4, new DetectorTrainer(training(4, 0.01f, 2))
                    .train(model, shapes, loader(), new Checkpoints(dir), true, s -> {}).size() + 2);
        }
    }

    /**
     * A checkpoint's files written but its state not (the process killed in between): the previous
     * checkpoint stays in force, whole, and a resume ends where an uninterrupted one does.
     */
    @Test
    void aCheckpointKilledBeforeItsStateLeavesThePreviousOneInForce() throws Exception {
        Path dir = tmp.resolve("k");
        stopAtFirstCheckpoint(dir);
        Map<String, byte[]> before = files(dir.resolve("checkpoint"));
        assertEquals(Set.of("state.json", "weights-3.bin", "momentum-3.bin"), before.keySet());
        try (FasterRcnn other = FasterRcnn.create(config(), 99)) {
            Sgd sgd = new Sgd(DetectorTrainer.parameters(other), other.manager(), 0.9f, 1e-4f);
            new Checkpoints(dir).write(other, sgd, 5, 11, shapes.fingerprint());
        }
        Map<String, byte[]> after = files(dir.resolve("checkpoint"));
        assertEquals(Set.of("state.json", "weights-3.bin", "momentum-3.bin", "weights-5.bin", "momentum-5.bin"), after.keySet());
        after.keySet().retainAll(before.keySet());
        assertFilesEqual(before, after);
        List<float[]> straight;
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            new DetectorTrainer(training(9, 0.01f, 0)).train(model, shapes, loader(), new Checkpoints(tmp.resolve("k-whole")), false,
                    s -> {});
            straight = weights(model);
        }
        try (FasterRcnn model = FasterRcnn.create(config(), 99)) {
            List<IterationStats> rest = new DetectorTrainer(training(9, 0.01f, 3)).train(model, shapes, loader(),
                    new Checkpoints(dir), true, s -> {});
            assertEquals(3, rest.get(0).iteration(), "resumed from the checkpoint after 3, not the unwritten one after 5");
            List<float[]> resumed = weights(model);
            for (int i = 0; i < straight.size(); i++) assertArrayEquals(straight.get(i), resumed.get(i), 1e-5f);
        }
        assertEquals(Set.of("state.json", "weights-6.bin", "momentum-6.bin"), files(dir.resolve("checkpoint")).keySet(),
                "the next checkpoint (after 6) put in force removes what it supersedes, the orphans too");
    }

    /** A 9-iteration run with a checkpoint every 3, stopped at its first checkpoint, in {@code dir}. */
    private static void stopAtFirstCheckpoint(Path dir) throws Exception {
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            assertThrows(StopAt.class, () -> new DetectorTrainer(training(9, 0.01f, 3)).train(model, shapes, loader(),
                    new Checkpoints(dir), false, new DetectorTrainer.Listener() {
                        @Override
                        public void onIteration(IterationStats s) {}

                        @Override
                        public void onCheckpoint(long done) {
                            throw new StopAt();
                        }
                    }));
        }
    }

    /** Each file of {@code dir} by name, with its bytes. */
    private static Map<String, byte[]> files(Path dir) throws java.io.IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) out.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        return out;
    }

    private static void assertFilesEqual(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    /** Checkpoints (every 2 iterations) of a 4-iteration run on {@link #shapes} with seed 11, in {@code dir}. */
    private static void checkpointAfterTwo(Path dir) throws Exception {
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            new DetectorTrainer(training(4, 0.01f, 2)).train(model, shapes, loader(), new Checkpoints(dir), false, s -> {});
        }
    }

    /** Resuming on other data (here one image fewer) is refused before anything is loaded or trained. */
    @Test
    void resumeOnOtherDataIsRefused() throws Exception {
        Path dir = tmp.resolve("d");
        checkpointAfterTwo(dir);
        Path state = dir.resolve("checkpoint/state.json");
        byte[] before = Files.readAllBytes(state);
        Dataset fewer = shapes.withImages(shapes.images().subList(1, shapes.images().size()));
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            org.rcnn4j.io.BadInputException e = assertThrows(org.rcnn4j.io.BadInputException.class, () ->
                    new DetectorTrainer(training(4, 0.01f, 2)).train(model, fewer, loader(), new Checkpoints(dir), true, s -> {}));
            assertEquals(state + ": data: checkpoint was trained on other data (" + shapes.fingerprint() + "; this run: "
                    + fewer.fingerprint() + "); resume with the same --data, or train into a new --out", e.getMessage());
        }
        assertTrue(shapes.fingerprint().startsWith("8 images, sha256:") && fewer.fingerprint().startsWith("7 images, "));
        assertArrayEquals(before, Files.readAllBytes(state), "the checkpoint is left as it was");
        // The same images read from another folder are the same data.
        assertEquals(shapes.fingerprint(), new Dataset(null, List.of(tmp), shapes.categories(), shapes.images()).fingerprint());
    }

    @Test
    void resumeWithAnotherSeedIsRefused() throws Exception {
        Path dir = tmp.resolve("s");
        checkpointAfterTwo(dir);
        try (FasterRcnn model = FasterRcnn.create(config(), 1)) {
            org.rcnn4j.io.BadInputException e = assertThrows(org.rcnn4j.io.BadInputException.class, () ->
                    new DetectorTrainer(training(4, 0.01f, 2).withSeed(12)).train(model, shapes, loader(), new Checkpoints(dir),
                            true, s -> {}));
            assertEquals(dir.resolve("checkpoint/state.json") + ": seed: checkpoint was trained with seed 11, not 12;"
                    + " resume with the same --seed", e.getMessage());
        }
    }

    static final class StopAt extends RuntimeException {}
}
