package org.rcnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit job end to end in local mode ({@code local[2]}): its COCO results are
 * {@code detect --json}'s bytes on the same 50 images and a corrupt one, its Parquet table has a row
 * per image with the corrupt one's error, and bad options are one line and exit code 2.
 */
class DetectJobTest {
    @TempDir Path tmp;

    /** What a run printed and returned. */
    private record Run(int code, String out, String err) {}

    private static Run job(String... args) {
        LocalSpark.session();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DetectJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void cocoResultsAreDetectsByteForByte() throws Exception {
        Path out = tmp.resolve("results.json");
        Run run = job("--model", LocalSpark.MODEL.toString(), "--input", LocalSpark.images().toString(), "--output", out.toString(),
                "--format", "coco");
        assertEquals(0, run.code(), "the corrupt image does not fail the job: " + run.err());
        assertArrayEquals(LocalSpark.detectJson(), Files.readAllBytes(out), "the same bytes as detect --json");
        assertTrue(run.err().contains(LocalSpark.BAD), "the corrupt image is named: " + run.err());
        assertTrue(run.out().contains("in 50 images") && run.out().contains("1 images could not be read"), run.out());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(out), left.toList(), "no temporary file left beside the results");
        }
    }

    @Test
    void parquetHasARowPerImageAndTheCorruptOnesError() throws Exception {
        Path out = tmp.resolve("results.parquet");
        Run run = job("--model", LocalSpark.MODEL.toString(), "--input", LocalSpark.images().toString(), "--output", out.toString(),
                "--partitions", "7");
        assertEquals(0, run.code(), run.err());
        List<Row> rows = LocalSpark.session().read().parquet(out.toString()).collectAsList();
        assertEquals(51, rows.size(), "a row per image, the corrupt one included");
        Row bad = rows.stream().filter(r -> r.getString(0).endsWith(LocalSpark.BAD)).findFirst().orElseThrow();
        assertTrue(bad.isNullAt(2), "no detections for the corrupt image");
        assertTrue(bad.getString(3).contains(LocalSpark.BAD) && bad.getString(3).contains("truncated"), bad.getString(3));
        assertArrayEquals(LocalSpark.detectJson(), LocalSpark.cocoOf(rows, 0, r -> r.getLong(1), 2, 3),
                "the same detections as detect --json");
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        String images = LocalSpark.images().toString();
        String model = LocalSpark.MODEL.toString();
        Path out = tmp.resolve("out");
        oneLine(job("--model", tmp.resolve("nomodel").toString(), "--input", images, "--output", out.toString()),
                "--model: " + tmp.resolve("nomodel") + ": model directory not found");
        oneLine(job("--model", images, "--input", images, "--output", out.toString()), "model.json: missing: not an rcnn4j model directory");
        oneLine(job("--model", model, "--input", tmp.resolve("none").toString(), "--output", out.toString()),
                "--input: " + tmp.resolve("none") + ": no such file or directory");
        oneLine(job("--model", model, "--input", tmp.toString(), "--output", out.toString()), "--input: " + tmp + ": no image files");
        oneLine(job("--model", model, "--input", images, "--output", out.toString(), "--format", "csv"), "--format");
        oneLine(job("--model", model, "--input", images, "--output", out.toString(), "--threads-per-task", "0"),
                "--threads-per-task: expected at least 1, got 0");
        Files.writeString(out, "earlier results");
        oneLine(job("--model", model, "--input", images, "--output", out.toString()), "--output: " + out + ": exists already");
        assertEquals("earlier results", Files.readString(out), "never overwritten");
    }

    /** model.json reads, so the driver goes on; the executors cannot load the weights, and say so in one line. */
    @Test
    void weightsNoExecutorCanLoadAreOneLineAndExitCode2() throws Exception {
        Path model = tmp.resolve("damaged");
        Files.createDirectories(model);
        Files.copy(LocalSpark.MODEL.resolve("model.json"), model.resolve("model.json"));
        byte[] weights = Files.readAllBytes(LocalSpark.MODEL.resolve("weights.bin"));
        Files.write(model.resolve("weights.bin"), java.util.Arrays.copyOf(weights, weights.length / 3));
        Path out = tmp.resolve("out.parquet");
        oneLine(job("--model", model.toString(), "--input", LocalSpark.images().toString(), "--output", out.toString()), "weights.bin");
        assertFalse(Files.exists(out), "no results");
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(model), left.toList(), "nothing left under a temporary name");
        }
    }

    private static void oneLine(Run run, String expected) {
        assertEquals(2, run.code(), run.err());
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("rcnn4j: ") && first.contains(expected), "expected '" + expected + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }
}
