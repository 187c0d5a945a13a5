package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir Path tmp;

    /** Every core only when OpenMP's idle workers sleep (the launcher's setting); one thread otherwise. */
    @Test
    void libtorchThreadsDefaultToEveryCoreOnlyWithPassiveWaiting() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, Main.defaultThreads("PASSIVE"));
        assertEquals(cores, Main.defaultThreads("passive"));
        assertEquals(1, Main.defaultThreads(null));
        assertEquals(1, Main.defaultThreads("ACTIVE"));
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"synth", "eval", "demo"}) {
            assertTrue(r.out().contains(c), "help lists " + c + ":\n" + r.out());
        }
    }

    @Test
    void everyCommandPrintsTheVersion() {
        for (String[] args : new String[][] {{"--version"}, {"train", "-V"}, {"bench", "train", "--version"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.code(), String.join(" ", args));
            assertTrue(r.out().startsWith("rcnn4j "), String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void theDemoRefusesADetectorItDoesNotRunInOneLine() {
        CliRun r = CliRun.of("demo", "--detector", "r-cnn", "--out", "/nonexistent/demo");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--detector: the demo trains faster-rcnn or fpn") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void unknownOptionIsBadInput() {
        CliRun r = CliRun.of("synth", "--kind", "shapes", "--images", "1", "--out", tmp.resolve("o").toString(), "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--bogus"), r.err());
        assertTrue(r.noStackTrace(), r.err());
    }

    @Test
    void missingGroundTruthIsOneLineExitTwo() {
        Path gt = tmp.resolve("nope.json");
        CliRun r = CliRun.of("eval", "--gt", gt.toString(), "--dt", gt.toString(), "--metric", "coco");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("nope.json"), r.err());
        assertTrue(r.noStackTrace(), r.err());
    }

    @Test
    void malformedJsonNamesTheFileAndDebugShowsTheTrace() throws Exception {
        Path gt = tmp.resolve("broken.json");
        Files.writeString(gt, "{\"images\": [ {\"id\": 1, ");
        CliRun r = CliRun.of("eval", "--gt", gt.toString(), "--dt", gt.toString(), "--metric", "voc07");
        assertEquals(2, r.code());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("broken.json"), r.err());
        assertTrue(r.noStackTrace(), r.err());

        CliRun d = CliRun.of("eval", "--debug", "--gt", gt.toString(), "--dt", gt.toString(), "--metric", "voc07");
        assertEquals(2, d.code());
        assertFalse(d.noStackTrace(), "--debug prints the stack trace");
    }

    @Test
    void fashionWithoutTheDataSaysHowToInstallIt() {
        CliRun r = CliRun.of("synth", "--kind", "fashion", "--images", "2", "--source", tmp.resolve("none").toString(),
                "--out", tmp.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing is left behind");
    }

    @Test
    void skipBadCountsBadRecordsAndGoesOn() throws Exception {
        Path gt = tmp.resolve("gt.json");
        Files.writeString(gt, """
                {"images": [{"id": 1, "file_name": "a.png", "width": 100, "height": 100},
                            {"id": 2, "file_name": "b.png", "width": 100, "height": 100}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20]},
                                 {"id": 2, "image_id": 2, "category_id": 1, "bbox": [10, 10, -5, 20]}],
                 "categories": [{"id": 1, "name": "thing"}]}
                """);
        Path dt = tmp.resolve("dt.json");
        Files.writeString(dt, "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [10, 10, 20, 20], \"score\": 0.9}]");
        CliRun strict = CliRun.of("eval", "--gt", gt.toString(), "--dt", dt.toString(), "--metric", "voc07");
        assertEquals(2, strict.code());
        assertTrue(strict.err().contains("annotations[1]"), strict.err());

        CliRun skipping = CliRun.of("eval", "--skip-bad", "--gt", gt.toString(), "--dt", dt.toString(), "--metric", "voc07", "--json");
        assertEquals(0, skipping.code(), skipping.err());
        assertTrue(skipping.err().startsWith("skipped 1 bad records"), skipping.err());
        assertTrue(skipping.out().contains("\"mAP\":1.0"), skipping.out());
    }
}
