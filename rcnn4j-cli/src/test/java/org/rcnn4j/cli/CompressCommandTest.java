package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** rcnn4j compress on a tiny model trained through the command line. */
class CompressCommandTest extends TinyModelCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Test
    void fullRankCompressionDetectsAsTheModelDoes() throws Exception {
        JsonNode fc = JSON.readTree(model.resolve("model.json").toFile()).path("config").path("roi");
        int fc6 = fc.path("fc6").asInt();
        int fc7 = fc.path("fc7").asInt();
        Path out = tmp.resolve("full");
        // fc7 is fc7×fc6: its full rank is min of the two; fc6's inputs (C·7·7) exceed its 512 units here.
        CliRun r = CliRun.of("compress", "--model", model.toString(), "--svd", "fc6=" + fc6 + ",fc7=" + Math.min(fc6, fc7),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fc6: " + fc6 + "×"), r.out());
        assertTrue(r.out().contains("fc7: " + fc7 + "×" + fc6 + " at rank " + Math.min(fc6, fc7)), r.out());
        JsonNode written = JSON.readTree(out.resolve("model.json").toFile());
        assertEquals(fc6, written.path("config").path("roi").path("svdFc6").asInt());
        JsonNode layer7 = written.path("training").path("compressed").path("layers").path("fc7");
        long u = fc7;
        long v = fc6;
        long t = Math.min(fc6, fc7);
        assertEquals(u * v + u, layer7.path("parameters_before").asLong());
        assertEquals(t * (u + v) + u, layer7.path("parameters_after").asLong());
        assertEquals(2, written.path("training").path("iterations").asInt(), "the training facts are kept: " + written.path("training"));

        JsonNode a = detections(model, "a.json");
        JsonNode b = detections(out, "b.json");
        assertTrue(a.size() > 0);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).path("category_id").asInt(), b.get(i).path("category_id").asInt());
            assertEquals(a.get(i).path("score").asDouble(), b.get(i).path("score").asDouble(), 1e-4);
            for (int k = 0; k < 4; k++) {
                assertEquals(a.get(i).path("bbox").get(k).asDouble(), b.get(i).path("bbox").get(k).asDouble(), 1e-2);
            }
        }
        CliRun evalA = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--metric", "voc07", "--json");
        CliRun evalB = CliRun.of("eval", "--model", out.toString(), "--data", data.toString(), "--metric", "voc07", "--json");
        assertEquals(0, evalB.code(), evalB.err());
        assertEquals(JSON.readTree(evalA.out()).path("mAP").asDouble(), JSON.readTree(evalB.out()).path("mAP").asDouble(), 1e-6);
    }

    @Test
    void lowRankCompressionOfOneLayerAndItsRecompression() throws Exception {
        Path out = tmp.resolve("low");
        CliRun r = CliRun.of("compress", "--model", model.toString(), "--svd", "fc7=32", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("fc6:"), r.out());
        CliRun again = CliRun.of("compress", "--model", out.toString(), "--svd", "fc7=16", "--out", tmp.resolve("again").toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already factorised") && again.errLines() == 1, again.err());
        Path both = tmp.resolve("both");
        CliRun fc6 = CliRun.of("compress", "--model", out.toString(), "--svd", "fc6=64", "--out", both.toString());
        assertEquals(0, fc6.code(), fc6.err());
        JsonNode layers = JSON.readTree(both.resolve("model.json").toFile()).path("training").path("compressed").path("layers");
        assertEquals(32, layers.path("fc7").path("rank").asInt(), "the earlier compression stays on record");
        assertEquals(64, layers.path("fc6").path("rank").asInt());
        CliRun eval = CliRun.of("eval", "--model", both.toString(), "--data", data.toString(), "--metric", "voc07", "--json");
        assertEquals(0, eval.code(), eval.err());
    }

    @Test
    void badSpecsAndANonEmptyOutAreOneLineUsageErrors() throws Exception {
        String out = tmp.resolve("bad").toString();
        String[][] cases = {
            {"fc8=3", "unknown layer"}, {"fc6=0", "at least 1"}, {"fc6=-2", "at least 1"}, {"fc6=100000", "exceeds min(u, v)"},
            {"fc6", "expected LAYER=RANK"}, {"fc6=abc", "not a whole number"}, {"fc6=3,fc6=4", "given twice"}, {"fc6=3,", "expected"}
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("compress", "--model", model.toString(), "--svd", c[0], "--out", out);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(1, r.errLines(), r.err());
            assertTrue(r.err().contains("--svd") && r.err().contains(c[1]) && r.noStackTrace(), c[0] + ": " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written on a usage error");
        Path full = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        CliRun r = CliRun.of("compress", "--model", model.toString(), "--svd", "fc6=8", "--out", full.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out") && r.errLines() == 1, r.err());
        assertEquals("mine", Files.readString(full.resolve("keep.txt")));
    }

    private static JsonNode detections(Path modelDir, String name) throws Exception {
        Path json = tmp.resolve(name);
        CliRun r = CliRun.of("detect", "--model", modelDir.toString(), "--score-threshold", "0", "--json", json.toString(),
                data.getParent().resolve("images").toString());
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(json.toFile());
    }
}
