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
 * The training checkpoint of a model directory, in its {@code checkpoint/} folder: the weights and
 * the optimizer's momentum after some iterations ({@code weights-<n>.bin}, {@code momentum-<n>.bin})
 * and {@code state.json} (iteration, seed, the data's {@linkplain Dataset#fingerprint() fingerprint},
 * which files hold them, their checksums). A new checkpoint's files are written under new names
 * first and {@code state.json} last, atomically, and only then are the previous files removed: the
 * state is the one commit point, so a process killed at any moment leaves either the previous
 * checkpoint or the new one, whole. Every random choice of training is a function of (seed,
 * iteration), so weights, momentum and the iteration are all a resume needs. (Checkpoints written
 * before 2026-12-03 name no files: theirs are {@code weights.bin} and {@code momentum.bin}.)
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
     * Writes weights and momentum after {@code iterationsDone} iterations: {@link #write} then
     * {@link #commit}.
     *
     * @param data the training data's {@link Dataset#fingerprint()}, which a resume must match
     */
    public void save(TrainableDetector model, Sgd sgd, long iterationsDone, long seed, String data) throws IOException {
        commit(write(model, sgd, iterationsDone, seed, data));
    }

    /**
     * Where an SGD run starts: after the checkpoint's iterations when {@code resume} and there is one
     * ({@link #restore}, weights and momentum loaded), else 0.
     */
    long start(boolean resume, TrainableDetector model, Sgd sgd, long seed, String data) throws IOException {
        return resume && latestIteration().isPresent() ? restore(model, sgd, seed, data) : 0;
    }

    /** The SGD loop's checkpointer for this folder: {@link #save}, reporting the folder. */
    SgdLoop.Checkpointer checkpointer(TrainableDetector model, Sgd sgd, long seed, String data) {
        return done -> {
            save(model, sgd, done, seed, data);
            return dir.toString();
        };
    }

    /**
     * A checkpoint's files written but not yet its state: until {@link #commit}, a resume still
     * finds the previous checkpoint.
     */
    record Pending(Path dir, ObjectNode state) {}

    /** Writes the weights and momentum of a new checkpoint under new names, leaving the current one in force. */
    Pending write(TrainableDetector model, Sgd sgd, long iterationsDone, long seed, String data) throws IOException {
        Files.createDirectories(dir);
        String weightsFile = "weights-" + iterationsDone + ".bin", momentumFile = "momentum-" + iterationsDone + ".bin";
        String weightsSha = ModelWeights.save(model.blocks(), dir.resolve(weightsFile));
        byte[] momentum = sgd.velocity().encode();
        AtomicFiles.write(dir.resolve(momentumFile), out -> out.write(momentum));
        ObjectNode state = JSON.createObjectNode();
        state.put("iterations_done", iterationsDone);
        state.put("seed", seed);
        state.put("data", data);
        state.put("weights_file", weightsFile);
        state.put("weights_sha256", weightsSha);
        state.put("momentum_file", momentumFile);
        state.put("momentum_sha256", ModelWeights.sha256(dir.resolve(momentumFile)));
        return new Pending(dir, state);
    }

    /** Puts a written checkpoint in force ({@code state.json}, atomically), then removes the files it supersedes. */
    void commit(Pending p) throws IOException {
        AtomicFiles.writeString(dir.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p.state()));
        removeSuperseded(dir, "weights", p.state().get("weights_file").asText());
        removeSuperseded(dir, "momentum", p.state().get("momentum_file").asText());
    }

    /**
     * Removes {@code dir}'s {@code <base>.bin} and {@code <base>-<n>.bin} files other than {@code keep}:
     * what an older checkpoint held, or a newer one killed before its state was written.
     */
    static void removeSuperseded(Path dir, String base, String keep) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                boolean ours = name.equals(base + ".bin") || name.matches(java.util.regex.Pattern.quote(base) + "-\\d+\\.bin");
                if (ours && !name.equals(keep)) Files.deleteIfExists(f);
            }
        }
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
        ModelWeights.load(model.blocks(), dir.resolve(state.path("weights_file").asText("weights.bin")), model.manager(),
                state.get("weights_sha256").asText(), "state.json");
        Path momentumFile = dir.resolve(state.path("momentum_file").asText("momentum.bin"));
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
