package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad options and config files through the command line: a value out of its range or choices, two
 * options that conflict, an output that cannot be written, a config field of the wrong type. Each is
 * one line naming the option (or the file and field), exit code 2, no stack trace, found before any
 * work, and nothing the user has is overwritten. The table of kinds: bench/results/bad_input.md.
 */
class BadOptionsTest extends TinyModelCliTest {
    @TempDir Path dir;

    /** {@code train} of tiny on {@link #data} with {@code more}, for 1 iteration into dir/trained unless they say otherwise. */
    private CliRun train(String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--backbone", "tiny"));
        List<String> given = List.of(more);
        if (!given.contains("--iterations")) args.addAll(List.of("--iterations", "1"));
        if (!given.contains("--out")) args.addAll(List.of("--out", dir.resolve("trained").toString()));
        args.addAll(given);
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Nothing was trained or left behind. */
    private void nothingWritten() {
        assertFalse(Files.exists(dir.resolve("trained")), "nothing is written on bad input");
    }

    // ---- values

    @Test
    void aNumberOptionGivenText() {
        train("--seed", "abc").assertBadInput("Invalid value for option '--seed': 'abc' is not a long");
        nothingWritten();
    }

    @Test
    void imagesPerBatchOutOfRange() {
        train("--images-per-batch", "0").assertBadInput("--images-per-batch: expected a positive number, got 0");
        nothingWritten();
    }

    @Test
    void aLearningRateThatIsNotPositive() {
        train("--lr", "-0.01").assertBadInput("--lr: expected a positive learning rate, got -0.01");
        train("--lr", "NaN").assertBadInput("--lr: expected a positive learning rate, got NaN");
        nothingWritten();
    }

    @Test
    void aWarmupOutsideTheRun() {
        train("--warmup", "-1").assertBadInput("--warmup: expected 0 to 1 iterations (the run's), got -1");
        train("--iterations", "4", "--warmup", "5").assertBadInput("--warmup: expected 0 to 4 iterations (the run's), got 5");
        nothingWritten();
    }

    @Test
    void iterationsOutOfRange() {
        train("--iterations", "0").assertBadInput("--iterations: expected a positive number, got 0");
        nothingWritten();
    }

    @Test
    void aScoreThresholdThatIsNotANumber() {
        Path json = dir.resolve("out.json");
        CliRun.of("detect", "--model", model.toString(), "--json", json.toString(), "--score-threshold", "NaN",
                data.getParent().resolve("images").toString()).assertBadInput("--score-threshold: expected a finite number, got NaN");
        assertFalse(Files.exists(json));
    }

    @Test
    void aCountOutOfRange() {
        CliRun.of("proposals", "--method", "selective-search", "--data", data.toString(), "--out", dir.resolve("p.json").toString(),
                "--max", "0").assertBadInput("--max: expected a positive number, got 0");
    }

    @Test
    void aValueOutsideAClosedChoice() {
        CliRun.of("eval", "--gt", data.toString(), "--dt", data.toString(), "--metric", "map")
                .assertBadInput("'--metric': expected one of [voc07, voc, coco, ar] (case-insensitive) but was 'map'");
        train("--detector", "yolo").assertBadInput("--detector: 'yolo' is not available in this build");
        nothingWritten();
    }

    // ---- conflicts

    @Test
    void twoSourcesOfDetections() {
        CliRun.of("eval", "--gt", data.toString(), "--dt", data.toString(), "--model", model.toString(), "--metric", "voc07")
                .assertBadInput("give either --dt RESULTS or --model MODEL_DIR");
    }

    @Test
    void aProposalsFileForADetectorThatMakesItsOwn() {
        train("--proposals", data.toString()).assertBadInput("--proposals: faster-rcnn makes its own region proposals");
        nothingWritten();
    }

    // ---- outputs

    /** --json under a file: refused before the model is run, naming the option and what is in the way. */
    @Test
    void anOutputThatCannotBeWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        Path json = file.resolve("out.json");
        CliRun.of("detect", "--model", model.toString(), "--json", json.toString(), data.getParent().resolve("images").toString())
                .assertBadInput("--json: " + json + " cannot be written: " + file + " is a file, not a directory");
        train("--out", file.resolve("m").toString()).assertBadInput("--out: " + file.resolve("m") + " cannot be written");
        assertEquals("mine", Files.readString(file));
    }

    /** detect --json onto an existing file: a model that fails to load leaves the file as it was. */
    @Test
    void anExistingOutputIsKeptWhenTheCommandFails() throws Exception {
        Path json = Files.writeString(dir.resolve("results.json"), "[]");
        CliRun.of("detect", "--model", dir.resolve("no-model").toString(), "--json", json.toString(),
                data.getParent().resolve("images").toString()).assertBadInput("model directory not found");
        assertArrayEquals("[]".getBytes(), Files.readAllBytes(json));
    }

    @Test
    void aModelDirectoryThatIsNotEmpty() throws Exception {
        Path out = Files.createDirectories(dir.resolve("trained"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        train().assertBadInput(out + ": not empty; choose another --out, or pass --resume");
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    // ---- config files (train --config)

    /** A config in the form of model.json's "config", its first match of {@code regex} replaced by {@code to}. */
    private Path config(String regex, String to) throws Exception {
        String json = Files.readString(model.resolve("model.json"));
        String config = new ObjectMapper().readTree(json).get("config").toPrettyString();
        String changed = config.replaceFirst(regex, to);
        if (changed.equals(config)) throw new AssertionError("no '" + regex + "' in " + config);
        return Files.writeString(dir.resolve("config.json"), changed);
    }

    @Test
    void aConfigFieldOfTheWrongType() throws Exception {
        Path config = config("\"fc6\" : [0-9]+", "\"fc6\" : \"wide\"");
        train("--config", config.toString()).assertBadInput(config + ": roi.fc6: ");
        nothingWritten();
    }

    @Test
    void aConfigFieldOutOfRange() throws Exception {
        Path config = config("\"nms\" : 0\\.7", "\"nms\" : 1.5");
        train("--config", config.toString()).assertBadInput(config + ": rpn.nms: must be in (0, 1], got 1.5");
        nothingWritten();
    }

    @Test
    void aConfigFieldOutsideItsChoices() throws Exception {
        Path config = config("\"pooler\" : \"roi-align\"", "\"pooler\" : \"max\"");
        train("--config", config.toString()).assertBadInput(config + ": roi.pooler: expected one of [roi-pool, roi-align], got 'max'");
    }

    @Test
    void aConfigFieldMisspelt() throws Exception {
        Path config = config("\"pooler\" :", "\"poolr\" :");
        train("--config", config.toString()).assertBadInput(config + ": roi.poolr: unknown field 'poolr'");
    }

    @Test
    void aMissingOrEmptyConfigFile() throws Exception {
        Path missing = dir.resolve("nope.json");
        train("--config", missing.toString()).assertBadInput(missing + ": no such file");
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        train("--config", empty.toString()).assertBadInput(empty + ": empty file, not a config");
        nothingWritten();
    }
}
