package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.detector.ModelDirectory;

/**
 * Bad model directories, weights files and checkpoints through the command line: each is one line
 * naming the file and the field, exit code 2, no stack trace, and nothing of the user's is changed.
 * The table of kinds: bench/results/bad_input.md.
 */
class BadModelInputTest extends TinyModelCliTest {
    @TempDir Path dir;

    /** A copy of the trained tiny model to damage. */
    private Path copy() throws Exception {
        Path copy = dir.resolve("m");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    private CliRun detect(Path modelDir) {
        return CliRun.of("detect", "--model", modelDir.toString(), "--json", dir.resolve("out.json").toString(),
                data.getParent().resolve("images").toString());
    }

    /** A {@link #copy()} whose model.json has {@code from} replaced by {@code to}. */
    private Path copyWith(String from, String to) throws Exception {
        Path m = copy();
        Path json = m.resolve(ModelDirectory.MODEL_JSON);
        String text = Files.readString(json);
        if (!text.contains(from)) throw new AssertionError("no '" + from + "' in " + text);
        Files.writeString(json, text.replace(from, to));
        return m;
    }

    // ---- model directories

    @Test
    void aMissingModelDirectory() {
        detect(dir.resolve("nope")).assertBadInput(dir.resolve("nope") + ": model directory not found");
    }

    @Test
    void aFolderWithoutModelJson() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        detect(empty).assertBadInput(empty.resolve("model.json") + ": missing: not an rcnn4j model directory");
    }

    @Test
    void aTruncatedModelJson() throws Exception {
        Path m = copy();
        Path json = m.resolve(ModelDirectory.MODEL_JSON);
        String text = Files.readString(json);
        Files.writeString(json, text.substring(0, text.length() / 2));
        detect(m).assertBadInput(json + ": line ", ", column ", ": damaged: Unexpected end-of-input");
    }

    @Test
    void aModelOfALaterFormatVersion() throws Exception {
        Path m = copyWith("\"version\" : 1,", "\"version\" : 2,");
        detect(m).assertBadInput(m.resolve("model.json") + ": version: format version 2 is newer than this rcnn4j reads (1)");
    }

    @Test
    void anUnknownDetectorKind() throws Exception {
        Path m = copyWith("\"detector\" : \"faster-rcnn\"", "\"detector\" : \"yolo\"");
        detect(m).assertBadInput(m.resolve("model.json") + ": detector: unsupported detector 'yolo'");
    }

    @Test
    void aConfigValueOutOfRangeInModelJson() throws Exception {
        Path m = copyWith("\"detectionsPerImage\" : 100", "\"detectionsPerImage\" : -1");
        detect(m).assertBadInput(m.resolve("model.json") + ": config.test.detectionsPerImage");
    }

    @Test
    void classesThatDisagreeWithTheConfig() throws Exception {
        Path m = copyWith("\"classes\" : [ {", "\"classes\" : [ {\"id\": 99, \"name\": \"extra\"}, {");
        detect(m).assertBadInput(m.resolve("model.json") + ": classes: ", "classes but config.numClasses = ");
    }

    @Test
    void aMissingWeightsFile() throws Exception {
        Path m = copy();
        Files.delete(m.resolve(ModelDirectory.WEIGHTS));
        detect(m).assertBadInput(m.resolve("weights.bin") + ": weights file not found");
    }

    @Test
    void aDamagedWeightsFile() throws Exception {
        Path m = copy();
        Path weights = m.resolve(ModelDirectory.WEIGHTS);
        byte[] w = Files.readAllBytes(weights);
        w[w.length / 2] ^= 0x55;
        Files.write(weights, w);
        detect(m).assertBadInput(weights + ": damaged, or another model's: its SHA-256 differs from the one model.json records");
    }

    /** weights.bin of another config with its checksum (model.json's fc6 edited): refused by the first shape that differs. */
    @Test
    void weightsAndConfigOfDifferentModels() throws Exception {
        Matcher fc6 = Pattern.compile("\"fc6\" : ([0-9]+)").matcher(Files.readString(model.resolve(ModelDirectory.MODEL_JSON)));
        if (!fc6.find()) throw new AssertionError("no fc6 in " + model);
        Path m = copyWith(fc6.group(), "\"fc6\" : " + (Integer.parseInt(fc6.group(1)) + 8));
        detect(m).assertBadInput(m.resolve("weights.bin") + ": block ", "fc6", "weights and config are of different models");
    }

    // ---- backbone weights files (train --backbone-weights)

    private CliRun trainFrom(Path weights) {
        return CliRun.of("train", "--data", data.toString(), "--backbone-weights", weights.toString(), "--iterations", "1",
                "--out", dir.resolve("trained").toString());
    }

    @Test
    void anEmptyBackboneWeightsFile() throws Exception {
        Path empty = Files.write(dir.resolve("empty.weights"), new byte[0]);
        trainFrom(empty).assertBadInput(empty + ": header: empty file, not rcnn4j backbone weights");
        assertFalse(Files.exists(dir.resolve("trained")), "nothing is written before the check");
    }

    @Test
    void aModelsWeightsGivenAsBackboneWeights() {
        Path weights = model.resolve(ModelDirectory.WEIGHTS);
        trainFrom(weights).assertBadInput(weights + ": header: not an rcnn4j backbone weights file");
    }

    @Test
    void aMissingBackboneWeightsFile() {
        trainFrom(dir.resolve("nope.weights")).assertBadInput(dir.resolve("nope.weights") + ": no such file");
    }

    // ---- train --resume

    /**
     * A model directory holding a checkpoint of joint training whose state.json says {@code seed} and
     * {@code data}: the checks of a resume come before its weights are read.
     */
    private Path checkpoint(long seed, String dataFingerprint) throws Exception {
        Path out = Files.createDirectories(dir.resolve("run/checkpoint")).getParent();
        Files.writeString(out.resolve("checkpoint/state.json"), "{\"iterations_done\": 1, \"seed\": " + seed + ", \"data\": \""
                + dataFingerprint + "\", \"weights_sha256\": \"0\", \"momentum_sha256\": \"0\"}");
        return out;
    }

    private static CliRun resume(Path out, String... more) {
        String[] args = {"train", "--resume", "--data", data.toString(), "--backbone", "tiny", "--iterations", "4",
            "--images-per-batch", "1", "--out", out.toString()};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void resumeWithAnotherSeed() throws Exception {
        Path out = checkpoint(7, "x");
        byte[] state = Files.readAllBytes(out.resolve("checkpoint/state.json"));
        resume(out, "--seed", "3").assertBadInput(out.resolve("checkpoint/state.json") + ": seed: checkpoint was trained with seed 7, not 3");
        assertArrayEquals(state, Files.readAllBytes(out.resolve("checkpoint/state.json")), "the checkpoint is kept");
    }

    @Test
    void resumeOnOtherData() throws Exception {
        Path out = checkpoint(0, "9 images, sha256:0123456789abcdef");
        resume(out).assertBadInput(out.resolve("checkpoint/state.json") + ": data: checkpoint was trained on other data (9 images,"
                + " sha256:0123456789abcdef; this run: 4 images, sha256:", "resume with the same --data");
    }

    @Test
    void resumeWithoutACheckpoint() throws Exception {
        Path out = Files.createDirectories(dir.resolve("fresh"));
        resume(out).assertBadInput("--resume: " + out + " has no checkpoint to resume from");
    }

    @Test
    void resumeFromADamagedCheckpoint() throws Exception {
        Path out = checkpoint(0, "x");
        Files.writeString(out.resolve("checkpoint/state.json"), "{\"iterations_done\": 1, \"seed\"");
        resume(out).assertBadInput(out.resolve("checkpoint/state.json") + ": line 1, column 30: damaged checkpoint state: Unexpected"
                + " end-of-input");
    }

    /** A real checkpoint's weights replaced: the checksum state.json records no longer matches. */
    @Test
    void resumeFromACheckpointWithOtherWeights() throws Exception {
        Path out = checkpoint(0, "x");
        Path state = out.resolve("checkpoint/state.json");
        Files.copy(model.resolve(ModelDirectory.WEIGHTS), out.resolve("checkpoint/weights.bin"));
        Files.writeString(state, Files.readString(state).replace("\"data\": \"x\", ", ""));
        resume(out).assertBadInput(out.resolve("checkpoint/weights.bin") + ": damaged, or another model's: its SHA-256 differs"
                + " from the one state.json records");
    }
}
