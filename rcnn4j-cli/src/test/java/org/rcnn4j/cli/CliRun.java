package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line in-process, with its exit code and captured output (public for the tests of sub-packages). */
public record CliRun(int code, String out, String err) {
    /** Trains a tiny Faster R-CNN for 2 iterations of 1 image on {@code data} into {@code model}, asserting success. */
    public static void trainTinyModel(java.nio.file.Path data, java.nio.file.Path model) {
        CliRun train = of("train", "--data", data.toString(), "--backbone", "tiny", "--iterations", "2",
                "--images-per-batch", "1", "--out", model.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, train.code(), train.err());
    }

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output has no Java stack trace. */
    boolean noStackTrace() {
        return !err.contains("\tat ") && !err.contains("Exception:");
    }

    /**
     * Bad input as the command-line contract has it: exit code 2, one {@code rcnn4j: } line on
     * stderr (progress lines aside) holding each of {@code parts} (the file, the field, what is
     * wrong), no stack trace.
     *
     * @return that line
     */
    String assertBadInput(String... parts) {
        org.junit.jupiter.api.Assertions.assertEquals(2, code, err);
        java.util.List<String> lines = err.lines().filter(l -> l.startsWith("rcnn4j: ")).toList();
        org.junit.jupiter.api.Assertions.assertEquals(1, lines.size(), err);
        for (String part : parts) {
            org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).contains(part), "expected '" + part + "' in: " + lines.get(0));
        }
        org.junit.jupiter.api.Assertions.assertTrue(noStackTrace(), err);
        return lines.get(0);
    }

    /** Non-empty error lines. */
    long errLines() {
        return err.lines().filter(l -> !l.isBlank()).count();
    }
}
