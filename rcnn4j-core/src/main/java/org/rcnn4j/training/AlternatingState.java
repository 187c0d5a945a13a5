package org.rcnn4j.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.ModelWeights;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * Where an alternating run stands, inside the model directory's {@code checkpoint/} folder:
 * {@code alternating.json} (seed, the steps' iterations, steps done, their seconds, the weights'
 * checksum) and {@code alternating-weights.bin}, the network the next step starts from (the RPN
 * network after step 1, the detection network after), each written atomically, the state last.
 * Each step's own checkpoints go to {@code checkpoint/step<k>/checkpoint/}.
 */
final class AlternatingState {
    static final String STATE = "alternating.json";
    private static final String WEIGHTS = "alternating-weights.bin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final long seed;
    private final long[] iterations;

    /**
     * @param modelDir   the model directory
     * @param seed       the run's seed
     * @param iterations the four steps' iterations
     */
    AlternatingState(Path modelDir, long seed, long[] iterations) {
        this.dir = new Checkpoints(modelDir).dir();
        this.seed = seed;
        this.iterations = iterations.clone();
    }

    /** Whether {@code modelDir} holds the checkpoint of an alternating run (a finished step, or step 1 under way). */
    static boolean exists(Path modelDir) {
        Path dir = new Checkpoints(modelDir).dir();
        return Files.isRegularFile(dir.resolve(STATE)) || new Checkpoints(dir.resolve("step1")).latestIteration().isPresent();
    }

    /** The checkpoints of one step's own iterations. */
    Checkpoints checkpoints(AlternatingTraining.Step step) {
        return new Checkpoints(dir.resolve("step" + step.number()));
    }

    /**
     * Steps finished by an earlier run (0 without a checkpoint).
     *
     * @throws BadInputException when the checkpoint is of joint training, another seed or another budget
     */
    int stepsDone() {
        if (Files.isRegularFile(dir.resolve("state.json")) && !exists()) {
            throw new BadInputException(dir.resolve("state.json"), "schedule",
                    "a checkpoint of joint training; resume it with the joint schedule");
        }
        if (!exists()) return 0;
        JsonNode s = read();
        if (s.get("seed").asLong() != seed) {
            throw new BadInputException(dir.resolve(STATE), "seed", "checkpoint was trained with seed "
                    + s.get("seed").asLong() + ", not " + seed + "; resume with the same --seed");
        }
        long[] saved = new long[4];
        for (int i = 0; i < 4; i++) saved[i] = s.get("step_iterations").path(i).asLong();
        if (!Arrays.equals(saved, iterations)) {
            throw new BadInputException(dir.resolve(STATE), "step_iterations", "checkpoint has steps of "
                    + Arrays.toString(saved) + " iterations, this run " + Arrays.toString(iterations)
                    + "; resume with the same --iterations");
        }
        return s.get("steps_done").asInt();
    }

    /** Seconds each step has taken so far (0 for steps not run). */
    double[] stepSeconds() {
        double[] out = new double[4];
        if (!exists()) return out;
        JsonNode secs = read().path("step_seconds");
        for (int i = 0; i < 4; i++) out[i] = secs.path(i).asDouble();
        return out;
    }

    /** Loads the saved network into {@code network} (the RPN network after step 1, the detection network after). */
    void load(FasterRcnn network) {
        ModelWeights.load(network.blocks(), dir.resolve(WEIGHTS), network.manager(), read().get("weights_sha256").asText());
    }

    /** Records {@code step} as finished, with the network the next step starts from, and drops its own checkpoints. */
    void stepDone(AlternatingTraining.Step step, FasterRcnn network, double[] seconds) throws IOException {
        Files.createDirectories(dir);
        String sha = ModelWeights.save(network.blocks(), dir.resolve(WEIGHTS));
        ObjectNode s = JSON.createObjectNode();
        s.put("schedule", "alternating");
        s.put("seed", seed);
        ArrayNode its = s.putArray("step_iterations");
        for (long n : iterations) its.add(n);
        s.put("steps_done", step.number());
        ArrayNode secs = s.putArray("step_seconds");
        for (double x : seconds) secs.add(x);
        s.put("weights_sha256", sha);
        AtomicFiles.writeString(dir.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        DetectorTraining.deleteRecursively(checkpoints(step).dir().getParent());
    }

    private boolean exists() {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    private JsonNode read() {
        Path file = dir.resolve(STATE);
        try {
            JsonNode n = JSON.readTree(file.toFile());
            for (String f : new String[] {"seed", "step_iterations", "steps_done", "weights_sha256"}) {
                if (n == null || !n.has(f)) throw new BadInputException(file, f, "missing");
            }
            return n;
        } catch (IOException e) {
            throw new BadInputException(file, null, "damaged checkpoint state: " + e.getMessage(), e);
        }
    }
}
