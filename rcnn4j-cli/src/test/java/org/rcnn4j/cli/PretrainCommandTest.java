package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.synth.FashionMnist;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.pretrain.PretrainConfig;
import org.rcnn4j.pretrain.PretrainedInfo;

/** pretrain → train --backbone-weights through the command line, and its errors. */
class PretrainCommandTest {
    @TempDir Path tmp;

    @Test
    void epochsBecomeIterationsByItemsAndBatchSize() {
        assertEquals(1563, PretrainCommand.iterationsForEpochs(1, 50_000, 32)); // 1562.5 rounded up
        assertEquals(3125, PretrainCommand.iterationsForEpochs(2, 50_000, 32));
        assertEquals(782, PretrainCommand.iterationsForEpochs(0.5, 50_000, 32)); // 781.25
        assertEquals(100, PretrainCommand.iterationsForEpochs(0.064, 50_000, 32)); // 100 exactly, not 101
        assertEquals(1, PretrainCommand.iterationsForEpochs(1e-6, 50_000, 32));
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        Path out = tmp.resolve("w.bin");
        CliRun r = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--iterations", "2",
                "--source", tmp.resolve("none").toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.noStackTrace(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void wrongOptionsAreOneLineUsageErrors() {
        String out = tmp.resolve("w.bin").toString();
        CliRun folder = CliRun.of("pretrain", "--backbone", "tiny", "--data", tmp.toString(), "--out", out);
        assertEquals(2, folder.code());
        assertTrue(folder.err().contains("'fashion'") && folder.err().contains("only"), folder.err());
        assertEquals(1, folder.errLines(), folder.err());

        CliRun both = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--iterations", "5", "--epochs", "1", "--out", out);
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());

        CliRun unknown = CliRun.of("pretrain", "--backbone", "alexnet", "--data", "fashion", "--out", out);
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("alexnet"), unknown.err());

        CliRun head = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--classifier", "svm", "--out", out);
        assertEquals(2, head.code());
        assertTrue(head.err().contains("--classifier") && head.err().contains("'svm'"), head.err());
        assertEquals(1, head.errLines(), head.err());

        CliRun fc = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--fc", "512", "--out", out);
        assertEquals(2, fc.code());
        assertTrue(fc.err().contains("--fc") && fc.err().contains("'512'"), fc.err());
        assertFalse(Files.exists(tmp.resolve("w.bin")));
    }

    @Test
    void weightsOfAnotherBackboneNameTheFile() throws Exception {
        Path weights = tmp.resolve("tiny.bin");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = Backbones.create("tiny");
            b.initialize(m, 1);
            b.save(weights);
        }
        Path data = synthShapes(tmp.resolve("shapes"));
        CliRun r = CliRun.of("train", "--data", data.toString(), "--backbone", "zf", "--backbone-weights", weights.toString(),
                "--iterations", "1", "--out", tmp.resolve("model").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains(weights.toString()) && r.err().contains("'tiny'") && r.err().contains("'zf'"), r.err());
        assertFalse(Files.exists(tmp.resolve("model")), "nothing is written before the check");

        CliRun missing = CliRun.of("train", "--data", data.toString(), "--backbone-weights", tmp.resolve("nope.bin").toString(),
                "--iterations", "1", "--out", tmp.resolve("model").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nope.bin"), missing.err());
    }

    /** Pre-trains tiny for a few iterations, then fine-tunes a detector from it (needs Fashion-MNIST). */
    @Test
    void pretrainedWeightsStartADetector() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not found; install it with: apt-get install dataset-fashion-mnist");
        Path weights = tmp.resolve("pre/tiny.bin");
        CliRun pre = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--iterations", "8",
                "--validation-items", "64", "--seed", "3", "--classifier", "box", "--out", weights.toString());
        assertEquals(0, pre.code(), pre.err());
        assertTrue(pre.err().contains("iter 8/8 loss ") && pre.err().contains(" img/s ETA "), pre.err());
        assertTrue(pre.out().startsWith("validation accuracy ") && pre.out().contains("on 64 items"), pre.out());
        PretrainedInfo info = PretrainedInfo.read(weights);
        assertEquals("tiny", info.backbone());
        assertEquals(8, info.iterations());
        assertEquals("tiny", BackboneWeights.readName(weights));
        try (var files = Files.list(weights.getParent())) {
            assertEquals(2, files.count(), "the weights and their sidecar, no temporary files");
        }
        assertEquals(512, BackboneWeights.readFc(weights).fc6());
        Path global = tmp.resolve("pre/global.bin");
        CliRun byDefault = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--iterations", "2",
                "--validation-items", "32", "--out", global.toString());
        assertEquals(0, byDefault.code(), byDefault.err());
        assertTrue(byDefault.err().contains("classifier: global average pooling"), byDefault.err());
        assertEquals(null, BackboneWeights.readFc(global), "the global classifier keeps the backbone only");
        assertEquals(PretrainConfig.Classifier.GLOBAL, PretrainedInfo.read(global).classifier());
        CliRun again = CliRun.of("pretrain", "--backbone", "tiny", "--data", "fashion", "--iterations", "1", "--out", weights.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--overwrite"), again.err());

        Path data = synthShapes(tmp.resolve("shapes"));
        Path model = tmp.resolve("model");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--backbone-weights", weights.toString(),
                "--iterations", "2", "--images-per-batch", "1", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        JsonNode json = new ObjectMapper().readTree(model.resolve("model.json").toFile());
        assertEquals("tiny", json.at("/config/backbone").asText(), "the backbone comes from the weights file");
        assertEquals(weights.toString(), json.at("/training/backbone_weights").asText());
        // The box classifier keeps fc6 and fc7 of 512 (--fc's default), the size of the small configs' head.
        assertTrue(train.err().contains("box head: fc6, fc7 pre-trained"), train.err());
        assertEquals("fc6, fc7 pre-trained", json.at("/training/box_head_start").asText());

        CliRun mismatch = CliRun.of("train", "--data", data.toString(), "--backbone", "resnet18-w0.25",
                "--backbone-weights", weights.toString(), "--iterations", "2", "--out", tmp.resolve("model2").toString());
        assertEquals(2, mismatch.code(), mismatch.err());
        assertEquals(1, mismatch.errLines(), mismatch.err());
        assertTrue(mismatch.err().contains(weights.toString()), mismatch.err());
    }

    static Path synthShapes(Path dir) {
        CliRun s = CliRun.of("synth", "--kind", "shapes", "--images", "4", "--size", "64", "--seed", "2", "--out", dir.toString());
        assertEquals(0, s.code(), s.err());
        return dir.resolve("annotations.json");
    }
}
