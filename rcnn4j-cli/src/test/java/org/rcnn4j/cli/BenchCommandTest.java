package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rcnn4j bench speed and bench train on a tiny model trained through the command line. */
class BenchCommandTest extends TinyModelCliTest {
    @Test
    void speedSplitsInferenceIntoStagesThatAddUp() throws Exception {
        Path json = tmp.resolve("speed.json");
        CliRun r = CliRun.of("bench", "speed", "--model", model.toString(), "--data", data.toString(),
                "--images", "3", "--warmup", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, j.get("images").asInt());
        double sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = j.get("ms_per_image").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTrue(e.getValue().asDouble() >= 0, e.getKey());
            sum += e.getValue().asDouble();
        }
        for (String stage : new String[] {"backbone", "rpn_head", "proposals", "head"}) {
            assertTrue(j.get("ms_per_image").has(stage), stage + " in " + j);
        }
        assertEquals(j.get("total_ms_per_image").asDouble(), sum, 1e-6 * sum);
        double outside = j.get("outside_layers_share").asDouble();
        assertTrue(outside > 0 && outside < 1, "share " + outside);
    }

    @Test
    void aTrainingIterationCostsMoreThanTheBackbonesForwardAndBackward() throws Exception {
        Path json = tmp.resolve("train.json");
        CliRun r = CliRun.of("bench", "train", "--model", model.toString(), "--data", data.toString(),
                "--iterations", "3", "--warmup", "1", "--images-per-batch", "1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("iteration / backbone:"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, j.get("iterations").asInt());
        assertEquals(1, j.get("images_per_batch").asInt());
        double iteration = j.get("iteration_ms").asDouble();
        double backbone = j.get("backbone_forward_backward_ms").asDouble();
        assertTrue(backbone > 0, "backbone " + backbone);
        // The iteration runs the same backbone pass plus the RPN, sampling, the RoI head and SGD.
        assertTrue(iteration > backbone, iteration + " ms per iteration against " + backbone + " ms");
        assertEquals(iteration / backbone, j.get("ratio").asDouble(), 1e-9);
    }

    @Test
    void badCountsAreUsageErrors() {
        CliRun r = CliRun.of("bench", "train", "--model", model.toString(), "--data", data.toString(), "--iterations", "0");
        assertEquals(2, r.code());
        assertTrue(r.noStackTrace(), r.err());
    }
}
