package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --detector fpn, then eval --model, detect and proposals --method rpn on the model it wrote. */
class FpnCommandsTest {
    @TempDir Path tmp;

    @Test
    void trainFpnThenEvalDetectAndPropose() throws Exception {
        Path data = PretrainCommandTest.synthShapes(tmp.resolve("shapes"));
        Path model = tmp.resolve("model");
        CliRun train = CliRun.of("train", "--detector", "fpn", "--data", data.toString(), "--backbone", "tiny",
                "--iterations", "3", "--images-per-batch", "1", "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.err().contains("training fpn (tiny, joint)") && train.err().contains("anchors on P2..P6"), train.err());
        JsonNode json = new ObjectMapper().readTree(model.resolve("model.json").toFile());
        assertEquals("fpn", json.path("detector").asText());
        assertEquals(5, json.path("config").path("pyramid").path("anchorSizes").size());

        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--metric", "voc07", "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonNode result = new ObjectMapper().readTree(eval.out());
        assertEquals("voc07", result.path("metric").asText());
        double map = result.path("mAP").asDouble(-1);
        assertTrue(map >= 0 && map <= 1, eval.out());

        Path image = Files.list(tmp.resolve("shapes/images")).sorted().findFirst().orElseThrow();
        Path dets = tmp.resolve("dets.json");
        CliRun detect = CliRun.of("detect", "--model", model.toString(), "--json", dets.toString(), image.toString());
        assertEquals(0, detect.code(), detect.err());
        assertTrue(new ObjectMapper().readTree(dets.toFile()).isArray());

        Path proposals = tmp.resolve("proposals.json");
        CliRun propose = CliRun.of("proposals", "--method", "rpn", "--model", model.toString(), "--data", data.toString(),
                "--out", proposals.toString(), "--max", "5");
        assertEquals(0, propose.code(), propose.err());
        JsonNode images = new ObjectMapper().readTree(proposals.toFile()).path("images");
        assertEquals(4, images.size());
        for (JsonNode im : images) assertTrue(im.path("boxes").size() <= 5, im.toString());
    }
}
