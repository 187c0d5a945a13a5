package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line in-process, with its exit code and captured output. */
record CliRun(int code, String out, String err) {
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
