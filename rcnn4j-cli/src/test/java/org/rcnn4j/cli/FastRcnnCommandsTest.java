package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;

/** {@code train --detector fast-rcnn --proposals}, then {@code eval --model --proposals} and {@code detect --proposals}. */
class FastRcnnCommandsTest {
    @TempDir static Path tmp;
    static Path train, val, trainProposals, valProposals, model;

    @BeforeAll
    static void trainAModel() throws Exception {
        train = synth("train", 6);
        val = synth("val", 3);
        trainProposals = proposals(train, "train-proposals.json", Long.MAX_VALUE);
        valProposals = proposals(val, "val-proposals.json", Long.MAX_VALUE);
        model = tmp.resolve("model");
        CliRun r = CliRun.of("train", "--detector", "fast-rcnn", "--backbone", "tiny", "--data", train.toString(),
                "--proposals", trainProposals.toString(), "--val", val.toString(), "--val-proposals", valProposals.toString(),
                "--iterations", "4", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("val voc07_mAP"), r.out());
    }

    static Path synth(String split, int images) {
        return synth(tmp, split, images);
    }

    /** {@code images} seeded 64-pixel {@code shapes} images of {@code split} under {@code root}. */
    static Path synth(Path root, String split, int images) {
        Path dir = root.resolve(split);
        CliRun r = CliRun.of("synth", "--kind", "shapes", "--split", split, "--images", String.valueOf(images), "--size", "64",
                "--seed", "3", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        return dir.resolve("annotations.json");
    }

    /** Each object's box and two shifted copies, plus a whole-image box; images with id {@code skip} left out. */
    static Path proposals(Path data, String name, long skip) throws Exception {
        return proposals(tmp, data, name, skip);
    }

    /** {@link #proposals(Path, String, long)}, written under {@code root}. */
    static Path proposals(Path root, Path data, String name, long skip) throws Exception {
        Dataset d = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        Map<Long, Proposals> all = new LinkedHashMap<>();
        for (ImageRecord im : d.images()) {
            if (im.id() == skip) continue;
            int n = 3 * im.annotations().size() + 1;
            float[] boxes = new float[4 * n];
            int k = 0;
            for (Annotation a : im.annotations()) {
                for (float shift : new float[] {0, 3, -3}) {
                    boxes[k++] = a.x1() + shift;
                    boxes[k++] = a.y1();
                    boxes[k++] = a.x2() + shift;
                    boxes[k++] = a.y2();
                }
            }
            System.arraycopy(new float[] {0, 0, im.width(), im.height()}, 0, boxes, k, 4);
            all.put(im.id(), new Proposals(boxes, new float[n]));
        }
        Path file = root.resolve(name);
        ProposalsFile.write(all, file);
        return file;
    }

    @Test
    void trainWritesAFastRcnnModelDirectoryThatNamesNoProposalsFile() throws Exception {
        String json = Files.readString(model.resolve("model.json"));
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("fast-rcnn", root.get("detector").asText());
        assertEquals("roi-align", root.at("/config/roi/pooler").asText(), "train's plan for fast-rcnn (FastRcnnConfig.planned)");
        assertEquals(64, root.at("/config/roi/perImage").asInt(), "the paper's 64 RoIs per image");
        assertEquals(0.0, root.at("/config/roi/bgLow").asDouble(), "background RoIs from IoU 0 in train's plan");
        JsonNode input = root.at("/config/input");
        assertEquals(3, input.get("trainScales").size(), "scale jitter in train's plan: " + input);
        assertEquals(input.get("shortSide").asInt(), input.get("trainScales").get(2).asInt(), "tested at the largest: " + input);
        assertEquals("[" + input.get("shortSide").asInt() + "]", root.at("/config/pyramid/testScales").toString());
        assertTrue(!json.contains("proposals.json"), "the proposals file is a run-time input:\n" + json);
    }

    @Test
    void evalWithTheModelOnGivenProposals() throws Exception {
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", val.toString(), "--proposals",
                valProposals.toString(), "--metric", "voc07", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(r.out());
        double map = report.get("mAP").asDouble();
        assertTrue(map >= 0 && map <= 1, r.out());
    }

    @Test
    void detectWithGivenProposals() throws Exception {
        Path results = tmp.resolve("dets.json");
        CliRun r = CliRun.of("detect", "--model", model.toString(), "--proposals", valProposals.toString(),
                "--score-threshold", "0", "--json", results.toString(), val.getParent().resolve("images").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("in 3 images"), r.out());
        assertTrue(Files.readString(results).startsWith("["));
    }

    /**
     * Without --proposals, selective search runs on each image: detect then finds exactly what it
     * finds on the file 'proposals --method selective-search' writes with the same (default) settings.
     */
    @Test
    void withoutProposalsSelectiveSearchRunsOnTheFly() throws Exception {
        Path ss = tmp.resolve("ss-val.json");
        CliRun p = CliRun.of("proposals", "--method", "selective-search", "--data", val.toString(), "--out", ss.toString());
        assertEquals(0, p.code(), p.err());
        Path images = val.getParent().resolve("images");
        Path fromFile = tmp.resolve("dets-file.json"), onTheFly = tmp.resolve("dets-fly.json");
        CliRun f = CliRun.of("detect", "--model", model.toString(), "--proposals", ss.toString(), "--score-threshold", "0",
                "--json", fromFile.toString(), images.toString());
        CliRun d = CliRun.of("detect", "--model", model.toString(), "--score-threshold", "0", "--json", onTheFly.toString(),
                images.toString());
        assertEquals(0, f.code(), f.err());
        assertEquals(0, d.code(), d.err());
        String expected = Files.readString(fromFile);
        assertTrue(expected.length() > 10, expected);
        assertEquals(expected, Files.readString(onTheFly));
        CliRun t = CliRun.of("train", "--detector", "fast-rcnn", "--backbone", "tiny", "--data", train.toString(),
                "--val", val.toString(), "--iterations", "2", "--out", tmp.resolve("m2").toString());
        assertEquals(0, t.code(), t.err());
    }

    @Test
    void anImageMissingFromTheProposalsFileIsNamed() throws Exception {
        Path partial = proposals(val, "partial.json", 2);
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", val.toString(), "--proposals", partial.toString(),
                "--metric", "voc07");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(partial.toString()) && r.err().contains("image id 2") && r.noStackTrace(), r.err());
    }

    @Test
    void fasterRcnnRefusesAProposalsFile() {
        CliRun r = CliRun.of("train", "--detector", "faster-rcnn", "--backbone", "tiny", "--data", train.toString(),
                "--proposals", trainProposals.toString(), "--iterations", "2", "--out", tmp.resolve("m4").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("makes its own region proposals"), r.err());
    }
}
