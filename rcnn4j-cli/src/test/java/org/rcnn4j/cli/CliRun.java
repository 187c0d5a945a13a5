package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line in-process, with its exit code and captured output. */
record CliRun(int code, String out, String err) {
    /** Trains a tiny Faster R-CNN for 2 iterations of 1 image on {@code data} into {@code model}, asserting success. */
    static void trainTinyModel(java.nio.file.Path data, java.nio.file.Path model) {
        CliRun train = of("train", "--data", data.toString(), "--backbone", "tiny", "--iterations", "2",
                "--images-per-batch", "1", "--out", model.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, train.code(), train.err());
    }

    static CliRun of(String... args) {
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

    /** Non-empty error lines. */
    long errLines() {
        return err.lines().filter(l -> !l.isBlank()).count();
    }
}
