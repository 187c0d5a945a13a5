package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** --from fine-tunes a trained model on data of other classes: the predictor is new, the rest carries over. */
    @Test
    void fromFineTunesATrainedModelOnOtherClasses() throws Exception {
        Path data = shapes();
        Path trained = tmp.resolve("trained");
        CliRun r = CliRun.of("train", "--backbone", "tiny", "--data", data.toString(), "--iterations", "2", "--out", trained.toString());
        assertEquals(0, r.code(), r.err());
        // The same images with two of their classes.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode coco = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(data.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode categories = json.createArrayNode();
        categories.add(coco.get("categories").get(0)).add(coco.get("categories").get(1));
        java.util.Set<Integer> kept = java.util.Set.of(categories.get(0).get("id").asInt(), categories.get(1).get("id").asInt());
        com.fasterxml.jackson.databind.node.ArrayNode annotations = json.createArrayNode();
        for (com.fasterxml.jackson.databind.JsonNode a : coco.get("annotations")) {
            if (kept.contains(a.get("category_id").asInt())) annotations.add(a);
        }
        coco.set("categories", categories);
        coco.set("annotations", annotations);
        Path two = data.resolveSibling("two-classes.json");
        json.writeValue(two.toFile(), coco);
        Path tuned = tmp.resolve("tuned");
        r = CliRun.of("train", "--from", trained.toString(), "--data", two.toString(), "--iterations", "2", "--out", tuned.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("fine-tuning " + trained + ": its 5 classes become --data's 2, the class predictor starts fresh"),
                r.err());
        com.fasterxml.jackson.databind.JsonNode model = json.readTree(tuned.resolve("model.json").toFile());
        assertEquals(2, model.get("classes").size());
        assertEquals(2, model.get("config").get("numClasses").asInt());
        assertEquals(trained.toAbsolutePath().normalize().toString(), model.get("training").get("fine_tuned_from").asText());
        r = CliRun.of("train", "--from", trained.toString(), "--backbone", "tiny", "--data", two.toString(), "--out",
                tmp.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--backbone: --from " + trained + " decides it"), r.err());
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

    /** The augmentation options land in model.json's config, are logged, and bad values are usage errors. */
    @Test
    void augmentationOptionsAreRecordedInModelJsonAndCheckedOnTheCommandLine() throws Exception {
        Path out = tmp.resolve("model");
        String data = shapes().toString();
        CliRun r = CliRun.of("train", "--backbone", "tiny", "--data", data, "--iterations", "3", "--out", out.toString(),
                "--train-scales", "48,64", "--crop", "0.5,0.6", "--color-jitter", "0.3,0.2,0.1,0.05", "--grayscale", "0.25");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("augmentation: scales [48, 64] (max 374), crop 0.50 (sides 0.60-1, kept at 0.50 visible), "
                + "colour jitter 0.30/0.20/0.10/0.050, grayscale 0.25, flip 0.50"), r.err());
        com.fasterxml.jackson.databind.JsonNode input = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("model.json").toFile()).get("config").get("input");
        assertEquals("[48,64]", input.get("trainScales").toString());
        assertEquals(0.6, input.get("augmentation").get("crop").get("minSide").asDouble());
        assertEquals(0.25, input.get("augmentation").get("photometric").get("grayscaleProbability").asDouble());
        assertEquals(0.05, input.get("augmentation").get("photometric").get("hue").asDouble());
        String[][] bad = {
            {"--crop", "1.5", "--crop: probability must be in [0, 1], got 1.5"},
            {"--crop", "0.5,0.5,0.5,0.5", "--crop: expected P[,MIN_SIDE[,MIN_VISIBLE]], got 4 values"},
            {"--color-jitter", "0.1,0.1", "--color-jitter: expected B,C,S,H (four values), got 2"},
            {"--color-jitter", "0.1,0.1,0.1,0.7", "--color-jitter: hue must be in [0, 0.5], got 0.7"},
            {"--grayscale", "-1", "--grayscale: grayscaleProbability must be in [0, 1], got -1.0"},
            {"--train-scales", "8", "--train-scales: sizes must be at least 16 pixels, got 8"}};
        for (String[] b : bad) {
            CliRun e = CliRun.of("train", "--backbone", "tiny", "--data", data, "--out", tmp.resolve("m2").toString(), b[0], b[1]);
            assertEquals(2, e.code(), e.err());
            assertTrue(e.err().contains(b[2]) && e.noStackTrace(), e.err());
        }
    }

    /**
     * spp-net trains its fresh fc layers at its own base rate and on the five-scale plan, SVMs and
     * regressors included, from the command line; --lr still wins.
     */
    @Test
    void sppNetTrainsAtItsOwnRateOnFiveScales() throws Exception {
        String data = shapes().toString();
        Path out = tmp.resolve("spp");
        CliRun r = CliRun.of("train", "--detector", "spp-net", "--backbone", "tiny", "--data", data, "--iterations", "4",
                "--svm-images", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("base lr 0.003") && r.err().contains("spatial pyramid [6, 3, 2, 1]")
                && r.err().contains("step 5/5: box-regression"), r.err());
        String model = Files.readString(out.resolve("model.json"));
        assertTrue(model.contains("\"base_lr\" : 0.003") && model.contains("\"detector\" : \"spp-net\""), model);
        assertTrue(model.replaceAll("\\s", "").matches("(?s).*\"testScales\":\\[\\d+,\\d+,\\d+,\\d+,\\d+\\].*"), model);
        assertTrue(!Files.exists(out.resolve("feature-cache")), "the caches are removed once the model is saved");
        r = CliRun.of("train", "--detector", "spp-net", "--backbone", "tiny", "--data", data, "--iterations", "2",
                "--svm-images", "1", "--lr", "0.001", "--out", tmp.resolve("spp2").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("base lr 0.001"), r.err());
    }

    /**
     * --warmup sets the linear warm-up: the first iteration runs at the base rate with none and at
     * 0.001 of it with one, and model.json records the length (by default a tenth of the run).
     */
    @Test
    void warmupSetsTheFirstIterationsRate() throws Exception {
        String data = shapes().toString();
        String[][] runs = {{"0", "lr 0.0400", "0"}, {"4", "lr 0.0000", "4"}, {null, "lr 0.0000", "2"}};
        for (String[] run : runs) {
            Path out = tmp.resolve("warmup-" + run[0]);
            List<String> args = new ArrayList<>(List.of("train", "--backbone", "tiny", "--data", data,
                    "--iterations", "20", "--out", out.toString()));
            if (run[0] != null) args.addAll(List.of("--warmup", run[0]));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().matches("(?s).*iter 1/20 loss \\S+ \\([^)]*\\) " + run[1] + " .*"), run[0] + ": " + r.err());
            String model = Files.readString(out.resolve("model.json"));
            assertTrue(model.contains("\"warmup_iterations\" : " + run[2] + ","), model);
        }
    }

    /** --backbone tiny starts from the shipped pre-trained tiny, --from-scratch from random weights. */
    @Test
    void tinyStartsFromTheShippedWeightsUnlessFromScratch() throws Exception {
        String data = shapes().toString();
        Path shipped = tmp.resolve("shipped"), scratch = tmp.resolve("scratch");
        CliRun r = CliRun.of("train", "--backbone", "tiny", "--data", data, "--iterations", "2", "--out", shipped.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("backbone: tiny pre-trained on Fashion-MNIST labels, shipped with rcnn4j "
                + "(--from-scratch starts from random weights); base lr 0.04"), r.err());
        String model = Files.readString(shipped.resolve("model.json"));
        assertTrue(model.contains("\"base_lr\" : 0.04"), "the shipped tiny's fine-tuning rate: " + model);
        assertTrue(model.matches("(?s).*\"backbone_weights\" : \"[^\"]*tiny-fashion-[0-9a-f]{12}\\.weights\".*"), model);
        // The progress line and model.json carry the process's resident memory (Linux: /proc/self/status).
        assertTrue(r.err().matches("(?s).*iter 2/2 loss .* img/s ETA \\S+ rss [0-9.]+ [MG]B.*"), r.err());
        assertTrue(model.matches("(?s).*\"peak_rss_bytes\" : [1-9][0-9]{7,}.*"), model);
        // The tests pin one libtorch thread (pom.xml), and model.json says what the run used.
        assertTrue(model.contains("\"libtorch_threads\" : 1"), model);
        r = CliRun.of("train", "--backbone", "tiny", "--from-scratch", "--data", data, "--iterations", "2", "--out", scratch.toString());
        assertEquals(0, r.code(), r.err());
        String fromScratch = Files.readString(scratch.resolve("model.json"));
        assertTrue(!r.err().contains("shipped") && !fromScratch.contains("backbone_weights"), r.err());
        assertTrue(fromScratch.contains("\"base_lr\" : 0.02"), fromScratch);
        r = CliRun.of("train", "--from-scratch", "--backbone-weights", shipped.resolve("x").toString(), "--data", data,
                "--out", tmp.resolve("m3").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--from-scratch: --backbone-weights gives a start"), r.err());
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
