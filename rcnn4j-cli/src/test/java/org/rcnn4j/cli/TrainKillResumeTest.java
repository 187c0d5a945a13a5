package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.detector.ModelDirectory;

/**
 * {@code train} killed with SIGKILL (no shutdown hook, no finally block runs) at seeded random moments,
 * each time followed by {@code train --resume}, ends with the uninterrupted run's weights, bit for bit
 * (issue 19, item 5). A kill may land anywhere: inside an iteration, while a checkpoint is being
 * written, before the first checkpoint (then the user starts again) or while the model directory is
 * written.
 */
class TrainKillResumeTest {
    private static final int ITERATIONS = 40;
    private static final Pattern ITER = Pattern.compile("^iter (\\d+)/");

    @TempDir Path tmp;

    @Test
    void killedAtRandomMomentsAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path data = tmp.resolve("data");
        CliRun synth = CliRun.of("synth", "--kind", "shapes", "--images", "6", "--size", "64", "--seed", "5", "--out",
                data.toString());
        assertEquals(0, synth.code(), synth.err());
        Path whole = tmp.resolve("whole");
        Train straight = Train.start(data, whole, false);
        assertEquals(0, straight.waitFor(), straight.log());

        Path killed = tmp.resolve("killed");
        Random random = new Random(19);
        List<String> kills = new ArrayList<>();
        long finishedFrom = -1; // the checkpoint the run that wrote the model took over from (0: a fresh start)
        for (int k = 0; k < 4; k++) {
            boolean resume = Files.isRegularFile(killed.resolve("checkpoint").resolve("state.json"));
            if (!resume) deleteRecursively(killed);
            // Kill after a random iteration line in the first half of what is left, then a random few
            // milliseconds more: the kills spread over the run, the last one near or at its end.
            long start = resume ? iterationsDone(killed) : 0;
            int afterIteration = (int) start + 1 + random.nextInt((int) Math.max(1, (ITERATIONS - start) / 2));
            long delayMs = random.nextInt(40);
            Train run = Train.start(data, killed, resume);
            boolean sent = run.killAfter(afterIteration, delayMs);
            kills.add((resume ? "resume" : "start") + ", kill after iteration " + afterIteration + " + " + delayMs + " ms"
                    + (sent ? "" : " (finished first)"));
            if (!sent && Files.isRegularFile(killed.resolve("model.json"))) {
                finishedFrom = start;
                break;
            }
        }
        if (!Files.isRegularFile(killed.resolve("model.json"))) {
            boolean resume = Files.isRegularFile(killed.resolve("checkpoint").resolve("state.json"));
            if (!resume) deleteRecursively(killed);
            finishedFrom = resume ? iterationsDone(killed) : 0;
            Train last = Train.start(data, killed, resume);
            assertEquals(0, last.waitFor(), kills + "\n" + last.log());
        }
        System.out.println("train killed and resumed: " + kills);
        assertTrue(kills.stream().filter(k -> !k.endsWith("(finished first)")).count() >= 2, "too few kills landed: " + kills);
        assertEquals(ModelDirectory.describe(whole).weightsSha256(), ModelDirectory.describe(killed).weightsSha256(),
                "after " + kills);
        assertTrue(!Files.exists(killed.resolve("checkpoint")), "the checkpoint is removed once the model is written");
        // model.json's seconds and threads are the last process's: it says where that one took over.
        Object resumedFrom = ModelDirectory.describe(killed).training().get("resumed_from_iteration");
        if (finishedFrom > 0) assertEquals(finishedFrom, ((Number) resumedFrom).longValue(), kills.toString());
        else assertNull(resumedFrom, kills.toString());
        assertNull(ModelDirectory.describe(whole).training().get("resumed_from_iteration"));
    }

    /** The iterations a checkpoint holds ({@code state.json}'s {@code iterations_done}). */
    private static long iterationsDone(Path model) throws IOException {
        Matcher m = Pattern.compile("\"iterations_done\"\\s*:\\s*(\\d+)")
                .matcher(Files.readString(model.resolve("checkpoint").resolve("state.json")));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** One {@code train} process (its own JVM, so that SIGKILL stops it as it would a user's run). */
    private record Train(Process process, StringBuilder output) {
        static Train start(Path data, Path out, boolean resume) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                    "--backbone", "tiny", "--data", data.resolve("annotations.json").toString(), "--iterations",
                    String.valueOf(ITERATIONS), "--images-per-batch", "1", "--checkpoint-every", "3", "--seed", "0", "--out",
                    out.toString()));
            if (resume) cmd.add("--resume");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("RCNN4J_THREADS", "1");
            return new Train(pb.start(), new StringBuilder());
        }

        /**
         * Reads the output until iteration {@code iteration} is reported, waits {@code delayMs}, then
         * kills the process with SIGKILL.
         *
         * @return false when the run ended before that
         */
        boolean killAfter(int iteration, long delayMs) throws Exception {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.append(line).append('\n');
                    Matcher m = ITER.matcher(line);
                    if (m.find() && Integer.parseInt(m.group(1)) >= iteration) {
                        Thread.sleep(delayMs);
                        process.destroyForcibly(); // SIGKILL on Unix
                        process.waitFor(30, TimeUnit.SECONDS);
                        return true;
                    }
                }
            }
            process.waitFor(30, TimeUnit.SECONDS);
            return false;
        }

        int waitFor() throws Exception {
            output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            return process.waitFor();
        }

        String log() {
            return output.toString();
        }
    }
}
