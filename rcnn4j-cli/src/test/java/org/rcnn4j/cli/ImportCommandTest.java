package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import}'s refusals: each one line naming the file (and the field or key), exit 2, nothing
 * written. The imports themselves are checked against torchvision in rcnn4j-core's
 * {@code TorchvisionParityTest} and {@code TorchvisionImportTest}.
 */
class ImportCommandTest {
    static final Path FIXTURES = Path.of("../rcnn4j-core/src/test/resources/torch");

    @TempDir Path tmp;

    private CliRun importing(String arch, Path weights, Path out, String... more) {
        String[] args = {"import", "--from", "torchvision", "--arch", arch, "--weights", weights.toString(), "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.of(all);
    }

    private static void oneLine(CliRun r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void badFilesAreOneLineAndWriteNothing() throws Exception {
        Path out = tmp.resolve("r50.weights");
        oneLine(importing("resnet50", FIXTURES.resolve("random.bin"), out), "random.bin: not a PyTorch state dict");
        oneLine(importing("resnet50", FIXTURES.resolve("os_system.pth"), out), "pickle global os.system is not allowed");
        oneLine(importing("resnet50", FIXTURES.resolve("truncated.pth"), out), "truncated.pth: ");
        oneLine(importing("resnet50", tmp.resolve("missing.pth"), out), "missing.pth: not found");
        oneLine(importing("resnet50", FIXTURES.resolve("state_dict.pth"), out), "state_dict.pth: bn1.weight: no such tensor");
        oneLine(importing("fasterrcnn_resnet50_fpn", FIXTURES.resolve("state_dict.pth"), tmp.resolve("model")),
                "roi_heads.box_predictor.cls_score.weight: no such tensor");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("model")));
    }

    @Test
    void badOptionsAreOneLine() throws Exception {
        Path weights = FIXTURES.resolve("state_dict.pth");
        oneLine(CliRun.of("import", "--from", "tensorflow", "--arch", "resnet50", "--weights", weights.toString(), "--out",
                tmp.resolve("a").toString()), "--from: 'tensorflow' is not supported");
        oneLine(importing("maskrcnn_resnet50_fpn", weights, tmp.resolve("a")), "--arch: 'maskrcnn_resnet50_fpn' is not supported");
        oneLine(importing("resnet50", weights, tmp.resolve("a"), "--bn-eps", "-1"), "--bn-eps: must be a number >= 0");
        Path existing = Files.writeString(tmp.resolve("existing.weights"), "mine");
        oneLine(importing("resnet50", weights, existing), "exists; choose another --out or pass --overwrite");
        assertEquals("mine", Files.readString(existing));
        oneLine(importing("resnet50", weights, tmp.resolve("b"), "--labels", weights.toString()), "--labels: only for fasterrcnn_resnet50_fpn");
    }
}
