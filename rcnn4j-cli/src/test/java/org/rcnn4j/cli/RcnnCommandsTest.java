package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --detector r-cnn}, then {@code eval --model} with its SVMs, without box regression and
 * with the softmax, {@code detect} (margins, threshold 0 by default) and {@code bench speed}.
 */
class RcnnCommandsTest {
    @TempDir static Path tmp;
    static Path train, val, valProposals, model;

    @BeforeAll
    static void trainAModel() throws Exception {
        train = FastRcnnCommandsTest.synth(tmp, "train", 6);
        val = FastRcnnCommandsTest.synth(tmp, "val", 3);
        Path trainProposals = FastRcnnCommandsTest.proposals(tmp, train, "train-proposals.json", Long.MAX_VALUE);
        valProposals = FastRcnnCommandsTest.proposals(tmp, val, "val-proposals.json", Long.MAX_VALUE);
        model = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--detector", "r-cnn", "--backbone", "tiny", "--data", train.toString(),
                "--proposals", trainProposals.toString(), "--val", val.toString(), "--val-proposals", valProposals.toString(),
                "--iterations", "4", "--svm-images", "5", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("r-cnn (tiny, multi-stage)"), r.err());
        String[] stages = {"fine-tune", "features", "svms", "box-regression"};
        for (int k = 0; k < 4; k++) {
            assertTrue(r.err().contains("step " + (k + 1) + "/4: " + stages[k] + ", "), stages[k] + " in\n" + r.err());
        }
        assertTrue(r.err().contains("features 5/5 images") && r.err().contains("MB"), "the cache's progress and size:\n" + r.err());
        assertTrue(r.out().contains("val voc07_mAP"), r.out());
    }

    @Test
    void theModelDirectoryRecordsTheStages() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Files.readString(model.resolve("model.json")));
        assertEquals("r-cnn", root.get("detector").asText());
        assertEquals("multi-stage", root.at("/training/schedule").asText());
        assertEquals(4, root.at("/training/stage_seconds").size());
        assertEquals(64, root.at("/config/warp/size").asInt());
        assertEquals(5, root.at("/config/svm/images").asInt());
        assertEquals(5, root.at("/training/svm_images").asInt());
        assertFalse(Files.exists(model.resolve("feature-cache")));
    }

    @Test
    void evalScoresTheSvmsWithAndWithoutBoxesAndTheSoftmax() {
        for (String[] extra : new String[][] {{}, {"--no-box-regression"}, {"--classifier", "softmax"}}) {
            String[] args = concat(new String[] {"eval", "--model", model.toString(), "--data", val.toString(), "--proposals",
                    valProposals.toString(), "--metric", "voc07", "--json"}, extra);
            CliRun r = CliRun.of(args);
            assertEquals(0, r.code(), String.join(" ", extra) + ": " + r.err());
            assertTrue(r.out().contains("\"mAP\""), r.out());
        }
        CliRun bad = CliRun.of("eval", "--model", model.toString(), "--data", val.toString(), "--proposals",
                valProposals.toString(), "--metric", "voc07", "--classifier", "boosting");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--classifier") && bad.err().contains("boosting") && !bad.err().contains("\tat "), bad.err());
    }

    @Test
    void savedDetectionsScoreAsTheModelDoesUnderEveryMetric() throws Exception {
        Path saved = tmp.resolve("saved-dets.json");
        for (String metric : new String[] {"voc07", "coco"}) {
            CliRun withModel = CliRun.of("eval", "--model", model.toString(), "--data", val.toString(), "--proposals",
                    valProposals.toString(), "--metric", metric, "--json", "--save-detections", saved.toString());
            assertEquals(0, withModel.code(), withModel.err());
            CliRun fromFile = CliRun.of("eval", "--dt", saved.toString(), "--data", val.toString(), "--metric", metric, "--json");
            assertEquals(0, fromFile.code(), fromFile.err());
            assertEquals(new ObjectMapper().readTree(withModel.out()), new ObjectMapper().readTree(fromFile.out()), metric);
        }
        // SVM margins below zero are detections too: the file keeps every one the metric counted.
        JsonNode dets = new ObjectMapper().readTree(saved.toFile());
        assertTrue(dets.size() > 0 && StreamSupport.stream(dets.spliterator(), false)
                .anyMatch(d -> d.get("score").asDouble() < 0), "no negative margins among " + dets.size());
        CliRun refused = CliRun.of("eval", "--dt", saved.toString(), "--data", val.toString(), "--metric", "voc07",
                "--save-detections", tmp.resolve("again.json").toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--save-detections") && refused.noStackTrace(), refused.err());
    }

    @Test
    void classifierOptionsAreRefusedForOtherDetectors() throws Exception {
        Path fast = tmp.resolve("fast");
        CliRun t = CliRun.of("train", "--detector", "fast-rcnn", "--backbone", "tiny", "--data", train.toString(),
                "--proposals", FastRcnnCommandsTest.proposals(tmp, train, "p.json", Long.MAX_VALUE).toString(), "--iterations", "2",
                "--out", fast.toString());
        assertEquals(0, t.code(), t.err());
        CliRun r = CliRun.of("eval", "--model", fast.toString(), "--data", val.toString(), "--proposals", valProposals.toString(),
                "--metric", "voc07", "--classifier", "softmax");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("only r-cnn and spp-net models"), r.err());
        CliRun svm = CliRun.of("train", "--detector", "fast-rcnn", "--data", train.toString(), "--svm-images", "3", "--out",
                tmp.resolve("refused").toString());
        assertEquals(2, svm.code());
        assertTrue(svm.err().contains("--svm-images: only r-cnn and spp-net"), svm.err());
    }

    @Test
    void detectAndBenchSpeedRunTheModel() throws Exception {
        Path json = tmp.resolve("dets.json");
        Path images = val.getParent().resolve("images");
        CliRun d = CliRun.of("detect", "--model", model.toString(), "--proposals", valProposals.toString(), "--json",
                json.toString(), images.toString());
        assertEquals(0, d.code(), d.err());
        for (JsonNode det : new ObjectMapper().readTree(json.toFile())) {
            assertTrue(det.get("score").asDouble() >= 0, "margins at or above the default threshold 0: " + det);
        }
        CliRun b = CliRun.of("bench", "speed", "--model", model.toString(), "--data", val.toString(), "--proposals",
                valProposals.toString(), "--images", "2", "--warmup", "1");
        assertEquals(0, b.code(), b.err());
        for (String stage : new String[] {"proposals", "region_features", "head", "predictor", "postprocess"}) {
            assertTrue(b.out().contains("| " + stage + " |"), stage + " in\n" + b.out());
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
