package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir Path tmp;

    private Path shapes() {
        Path dir = tmp.resolve("shapes");
        CliRun r = CliRun.of("synth", "--kind", "shapes", "--split", "train", "--images", "6", "--size", "64", "--seed", "3",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        return dir.resolve("annotations.json");
    }

    @Test
    void alternatingScheduleTrainsAModelDirectoryStepByStep() throws Exception {
        Path out = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--schedule", "alternating", "--backbone", "tiny", "--data", shapes().toString(),
                "--iterations", "12", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (int k = 1; k <= 4; k++) assertTrue(r.err().contains("step " + k + "/4: "), r.err());
        String model = Files.readString(out.resolve("model.json"));
        assertTrue(model.contains("\"schedule\" : \"alternating\""), model);
        assertTrue(Files.size(out.resolve("loss.png")) > 0, "loss curve with the steps' different terms");
    }

    @Test
    void aBadConfigFieldIsOneLineNamingTheFileAndTheField() throws Exception {
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"backbone\": \"tiny\", \"numClasses\": 2, \"input\": {\"shortSide\": 64, \"maxSize\": 107},"
                + " \"anchors\": {\"sizes\": [16], \"ratios\": [1]}, \"rpn\": {\"positiveIoU\": 0.7, \"negativeIoU\": 0.3,"
                + " \"batchSize\": 256, \"positiveFraction\": 0.5, \"preNmsTrain\": 100, \"postNmsTrain\": 50, \"preNmsTest\": 100,"
                + " \"postNmsTest\": 50, \"nms\": 0.7, \"minSize\": 0, \"boxLossWeight\": 1, \"smoothL1Beta\": 0.11},"
                + " \"roi\": {\"perImage\": 64, \"fgFraction\": 0.25, \"fgIoU\": 0.5, \"bgLow\": 0, \"pooler\": \"max\","
                + " \"poolSize\": 7, \"fc6\": 64, \"fc7\": 64, \"boxLossWeight\": 1, \"smoothL1Beta\": 1},"
                + " \"test\": {\"scoreThreshold\": 0.05, \"nms\": 0.5, \"detectionsPerImage\": 100}}");
        CliRun r = CliRun.of("train", "--config", config.toString(), "--data", tmp.resolve("x.json").toString(),
                "--out", tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(config + ": roi.pooler: expected one of [roi-pool, roi-align], got 'max'")
                && r.noStackTrace(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void unknownScheduleIsAUsageError() {
        CliRun r = CliRun.of("train", "--schedule", "sometimes", "--data", tmp.resolve("x.json").toString(),
                "--out", tmp.resolve("m").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--schedule") && r.noStackTrace(), r.err());
    }

    @Test
    void roiHeadC5TrainsTheBackbonesC5AsTheHead() throws Exception {
        Path out = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--roi-head", "c5", "--backbone", "tiny", "--data", shapes().toString(),
                "--iterations", "4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String model = Files.readString(out.resolve("model.json"));
        assertTrue(model.contains("\"head\" : \"c5\""), model);
    }

    @Test
    void roiHeadMustSuitTheDetectorAndTheBackbone() {
        String data = tmp.resolve("x.json").toString(), out = tmp.resolve("m").toString();
        CliRun r = CliRun.of("train", "--roi-head", "c6", "--data", data, "--out", out);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--roi-head: expected one of [fc, c5], got 'c6'") && r.noStackTrace(), r.err());
        r = CliRun.of("train", "--roi-head", "c5", "--detector", "fpn", "--data", data, "--out", out);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("FPN's head is fc6 and fc7"), r.err());
        r = CliRun.of("train", "--roi-head", "c5", "--backbone", "zf", "--data", data, "--out", out);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the C5 stage of zf has no layers with weights"), r.err());
    }

    @Test
    void resumeWithTheOtherScheduleIsRefused() throws Exception {
        Path out = tmp.resolve("model");
        Files.createDirectories(out.resolve("checkpoint"));
        Files.writeString(out.resolve("checkpoint/alternating.json"), "{}");
        CliRun r = CliRun.of("train", "--resume", "--data", shapes().toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--schedule alternating"), r.err());
    }
}
