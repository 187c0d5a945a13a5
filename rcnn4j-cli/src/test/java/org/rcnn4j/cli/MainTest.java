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

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"synth", "eval", "demo"}) {
            assertTrue(r.out().contains(c), "help lists " + c + ":\n" + r.out());
        }
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
}
