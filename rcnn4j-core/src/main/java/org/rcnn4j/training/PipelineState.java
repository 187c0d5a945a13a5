package org.rcnn4j.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.rcnn4j.detector.ModelWeights;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * Where a multi-stage training run stands ({@link TrainingPipeline}: Faster R-CNN's alternating
 * training, R-CNN's stages), inside the model directory's {@code checkpoint/} folder:
 * {@code <schedule>.json} (schedule, seed, the data's fingerprint, the stages' sizes, stages done,
 * their seconds, the weights' file and checksum) and {@code <schedule>-weights-<k>.bin}, the network
 * the next stage starts from after stage k. The weights are written under a new name first, the
 * state last and atomically, and only then are the previous weights removed, so that a process
 * killed at any moment leaves one whole record ({@code <schedule>-weights.bin} in records written
 * before 2026-12-03). A stage's own SGD checkpoints go to {@code checkpoint/step<k>/checkpoint/}
 * ({@link #stepFolder}).
 */
final class PipelineState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final String schedule;
    private final long seed;
    private final String data;
    private final long[] sizes;

    /**
     * @param modelDir the model directory
     * @param schedule the schedule's name ({@code alternating}, {@code multi-stage}), naming the files
     * @param seed     the run's seed
     * @param data     the training data's {@link org.rcnn4j.data.Dataset#fingerprint()}, which a resume must match
     * @param sizes    the stages' sizes (iterations, images...), which a resume must match
     */
    PipelineState(Path modelDir, String schedule, long seed, String data, long[] sizes) {
        this.dir = new Checkpoints(modelDir).dir();
        this.schedule = schedule;
        this.seed = seed;
        this.data = data;
        this.sizes = sizes.clone();
    }

    /**
     * Whether {@code modelDir} holds the checkpoint of an interrupted run of {@code schedule} (a finished
     * stage, or stage 1 under way).
     */
    static boolean exists(Path modelDir, String schedule) {
        Path dir = new Checkpoints(modelDir).dir();
        return Files.isRegularFile(dir.resolve(schedule + ".json"))
                || new Checkpoints(dir.resolve(stepFolder(schedule, 1))).latestIteration().isPresent();
    }

    /**
     * The folder of stage {@code number}'s own checkpoints: {@code step<k>} for alternating training,
     * as its checkpoints have always been laid out; {@code <schedule>-step<k>} for the others, so
     * that no schedule takes another's for its own.
     */
    private static String stepFolder(String schedule, int number) {
        return (schedule.equals("alternating") ? "step" : schedule + "-step") + number;
    }

    /** The checkpoints of one SGD stage's own iterations ({@code number} 1-based). */
    Checkpoints checkpoints(int number) {
        return new Checkpoints(dir.resolve(stepFolder(schedule, number)));
    }

    /**
     * Stages finished by an earlier run (0 without a checkpoint).
     *
     * @throws BadInputException when the checkpoint is of joint training, another seed, other data or
     *     other stage sizes
     */
    int stagesDone() {
        if (Files.isRegularFile(dir.resolve("state.json")) && !exists()) {
            throw new BadInputException(dir.resolve("state.json"), "schedule",
                    "a checkpoint of joint training; resume it with the joint schedule");
        }
        if (!exists()) return 0;
        JsonNode s = read();
        Checkpoints.checkSameRun(state(), s, seed, data);
        long[] saved = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) saved[i] = s.get("step_iterations").path(i).asLong();
        if (!Arrays.equals(saved, sizes) || s.get("step_iterations").size() != sizes.length) {
            throw new BadInputException(state(), "step_iterations", "checkpoint has stages of "
                    + Arrays.toString(saved) + ", this run " + Arrays.toString(sizes)
                    + "; resume with the same --iterations and data");
        }
        return s.get("steps_done").asInt();
    }

    /** Seconds each stage has taken so far (0 for stages not run). */
    double[] stageSeconds() {
        double[] out = new double[sizes.length];
        if (!exists()) return out;
        JsonNode secs = read().path("step_seconds");
        for (int i = 0; i < sizes.length; i++) out[i] = secs.path(i).asDouble();
        return out;
    }

    /** Loads the saved network into {@code network}. */
    void load(TrainableDetector network) {
        JsonNode s = read();
        ModelWeights.load(network.blocks(), dir.resolve(s.path("weights_file").asText(schedule + "-weights.bin")),
                network.manager(), s.get("weights_sha256").asText(), state().getFileName().toString());
    }

    /**
     * Records stage {@code number} (1-based) as finished, with the network the next stage starts from,
     * and drops the stage's own checkpoints.
     */
    void stageDone(int number, TrainableDetector network, double[] seconds) throws IOException {
        Files.createDirectories(dir);
        String weights = schedule + "-weights-" + number + ".bin";
        String sha = ModelWeights.save(network.blocks(), dir.resolve(weights));
        ObjectNode s = JSON.createObjectNode();
        s.put("schedule", schedule);
        s.put("seed", seed);
        s.put("data", data);
        ArrayNode its = s.putArray("step_iterations");
        for (long n : sizes) its.add(n);
        s.put("steps_done", number);
        ArrayNode secs = s.putArray("step_seconds");
        for (double x : seconds) secs.add(x);
        s.put("weights_file", weights);
        s.put("weights_sha256", sha);
        AtomicFiles.writeString(state(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        Checkpoints.removeSuperseded(dir, schedule + "-weights", weights);
        DetectorTraining.deleteRecursively(checkpoints(number).dir().getParent());
    }

    /**
     * A pipeline record over this state: the network each finished stage hands on is
     * {@code networkAfter.apply(number)}.
     */
    TrainingPipeline.Record record(java.util.function.IntFunction<? extends TrainableDetector> networkAfter) {
        return new TrainingPipeline.Record() {
            @Override
            public int stagesDone() {
                return PipelineState.this.stagesDone();
            }

            @Override
            public double[] seconds() {
                return stageSeconds();
            }

            @Override
            public void stageDone(int number, TrainingStage stage, double[] seconds) throws IOException {
                PipelineState.this.stageDone(number, networkAfter.apply(number), seconds);
            }
        };
    }

    private Path state() {
        return dir.resolve(schedule + ".json");
    }

    private boolean exists() {
        return Files.isRegularFile(state());
    }

    private JsonNode read() {
        Path file = state();
        try {
            JsonNode n = JSON.readTree(file.toFile());
            for (String f : new String[] {"seed", "step_iterations", "steps_done", "weights_sha256"}) {
                if (n == null || !n.has(f)) throw new BadInputException(file, f, "missing");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw BadInputException.ofJson(file, "damaged checkpoint state", e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "damaged checkpoint state: " + e.getMessage(), e);
        }
    }
}
