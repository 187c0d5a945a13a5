package org.rcnn4j.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.detector.ModelWeights;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.BadInputException;

/**
 * The training checkpoint of a model directory: {@code checkpoint/weights.bin},
 * {@code checkpoint/momentum.bin} and {@code checkpoint/state.json} (iteration, seed, the data's
 * {@linkplain Dataset#fingerprint() fingerprint}, checksums),
 * each written atomically, the state last, so a checkpoint is either the previous one or the new
 * one, never half of each. Every random choice of training is a function of (seed, iteration), so
 * weights, momentum and the iteration are all a resume needs.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    /** @param modelDir the model directory; checkpoints live in its {@code checkpoint/} folder */
    public Checkpoints(Path modelDir) {
        this.dir = modelDir.resolve("checkpoint");
    }

    public Path dir() {
        return dir;
    }

    /** The iteration count (iterations done) a resume starts from, if a checkpoint exists. */
    public Optional<Long> latestIteration() {
        Path state = dir.resolve("state.json");
        if (!Files.isRegularFile(state)) return Optional.empty();
        return Optional.of(readState(state).get("iterations_done").asLong());
    }

    /**
     * Writes weights and momentum after {@code iterationsDone} iterations.
     *
     * @param data the training data's {@link Dataset#fingerprint()}, which a resume must match
     */
    public void save(TrainableDetector model, Sgd sgd, long iterationsDone, long seed, String data) throws IOException {
        Files.createDirectories(dir);
        String weightsSha = ModelWeights.save(model.blocks(), dir.resolve("weights.bin"));
        byte[] momentum = sgd.velocity().encode();
        AtomicFiles.write(dir.resolve("momentum.bin"), out -> out.write(momentum));
        ObjectNode state = JSON.createObjectNode();
        state.put("iterations_done", iterationsDone);
        state.put("seed", seed);
        state.put("data", data);
        state.put("weights_sha256", weightsSha);
        state.put("momentum_sha256", ModelWeights.sha256(dir.resolve("momentum.bin")));
        AtomicFiles.writeString(dir.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
    }

    /**
     * Restores weights and momentum into {@code model} and {@code sgd}.
     *
     * @param data the training data's {@link Dataset#fingerprint()}
     * @return iterations done
     * @throws BadInputException when the checkpoint is damaged, or of another seed or other data
     */
    public long restore(TrainableDetector model, Sgd sgd, long seed, String data) throws IOException {
        Path statePath = dir.resolve("state.json");
        JsonNode state = readState(statePath);
        checkSameRun(statePath, state, seed, data);
        ModelWeights.load(model.blocks(), dir.resolve("weights.bin"), model.manager(), state.get("weights_sha256").asText(),
                "state.json");
        Path momentumFile = dir.resolve("momentum.bin");
        if (!ModelWeights.sha256(momentumFile).equals(state.get("momentum_sha256").asText())) {
            throw new BadInputException(momentumFile, null, "damaged: its checksum differs from state.json");
        }
        try (NDManager tmp = model.manager().newSubManager()) {
            sgd.loadVelocity(NDList.decode(tmp, Files.readAllBytes(momentumFile)));
        }
        return state.get("iterations_done").asLong();
    }

    /**
     * A checkpoint continues the run that wrote it: the same seed and the same data (checkpoints
     * written before the data was recorded are taken on trust).
     *
     * @throws BadInputException on {@code state}'s {@code seed} or {@code data}
     */
    static void checkSameRun(Path state, JsonNode saved, long seed, String data) {
        if (saved.get("seed").asLong() != seed) {
            throw new BadInputException(state, "seed", "checkpoint was trained with seed " + saved.get("seed").asLong()
                    + ", not " + seed + "; resume with the same --seed");
        }
        if (saved.hasNonNull("data") && !saved.get("data").asText().equals(data)) {
            throw new BadInputException(state, "data", "checkpoint was trained on other data (" + saved.get("data").asText()
                    + "; this run: " + data + "); resume with the same --data, or train into a new --out");
        }
    }

    private static JsonNode readState(Path state) {
        try {
            JsonNode n = JSON.readTree(state.toFile());
            for (String f : new String[] {"iterations_done", "seed", "weights_sha256", "momentum_sha256"}) {
                if (n == null || !n.has(f)) throw new BadInputException(state, f, "missing");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw BadInputException.ofJson(state, "damaged checkpoint state", e);
        } catch (IOException e) {
            throw new BadInputException(state, null, "damaged checkpoint state: " + e.getMessage(), e);
        }
    }
}
