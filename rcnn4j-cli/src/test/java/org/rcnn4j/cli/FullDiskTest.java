package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of space while writing, for real: each command runs in its own JVM under the shell's
 * file-size limit ({@code ulimit -f}), so the operating system refuses a write past the limit
 * (EFBIG, "File too large"), as a full disk refuses one with ENOSPC. The user gets one line naming
 * what could not be written, exit code 1, no stack trace, and what they had before is unchanged.
 */
class FullDiskTest extends TinyModelCliTest {
    @TempDir Path dir;

    /** Runs the CLI with files limited to {@code kilobytes}; returns exit code and output. */
    private static CliResult limited(int kilobytes, String... args) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        java.addAll(List.of(args));
        StringBuilder cmd = new StringBuilder("ulimit -f " + kilobytes + " && exec");
        for (String a : java) cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        Process p = new ProcessBuilder("bash", "-c", cmd.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new CliResult(p.exitValue(), out);
    }

    private record CliResult(int code, String output) {
        /** One {@code rcnn4j:} line containing every part, exit 1, no stack trace. */
        void assertOneLine(String... parts) {
            assertEquals(1, code, output);
            List<String> lines = output.lines().filter(l -> l.startsWith("rcnn4j: ")).toList();
            assertEquals(1, lines.size(), output);
            for (String part : parts) assertTrue(lines.get(0).contains(part), "expected '" + part + "' in: " + lines.get(0));
            assertFalse(output.contains("\tat "), output);
        }
    }

    private static boolean bashAvailable() {
        return Files.isExecutable(Path.of("/bin/bash")) || Files.isExecutable(Path.of("/usr/bin/bash"));
    }

    @Test
    void detectResultsThatDoNotFitLeaveTheEarlierFile() throws Exception {
        assumeTrue(bashAvailable(), "needs bash for ulimit");
        Path results = Files.writeString(dir.resolve("results.json"), "[]");
        CliResult r = limited(1, "detect", "--model", model.toString(), "--score-threshold", "0", "--json", results.toString(),
                data.getParent().resolve("images").toString());
        r.assertOneLine(results + ": could not be written (File too large); the previous results.json is unchanged");
        assertEquals("[]", Files.readString(results));
        assertEquals(List.of(results), list(dir));
    }

    @Test
    void aDatasetThatDoesNotFitLeavesTheEarlierDirectoryAndNoStaging() throws Exception {
        assumeTrue(bashAvailable(), "needs bash for ulimit");
        Path out = Files.createDirectories(dir.resolve("data"));
        Files.writeString(out.resolve("mine.txt"), "keep");
        CliResult r = limited(40, "synth", "--kind", "shapes", "--images", "4", "--size", "256", "--overwrite", "--out", out.toString());
        r.assertOneLine(out + ": could not be written (File too large); the previous data is unchanged");
        assertEquals(List.of(out.resolve("mine.txt")), list(out));
        assertEquals(List.of(out), list(dir), "no hidden staging directory is left");
    }

    private static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
