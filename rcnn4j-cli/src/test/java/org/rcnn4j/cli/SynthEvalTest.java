package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.evaluation.ResultsWriter;

/** synth → results → eval through the command line, in both formats. */
class SynthEvalTest {
    @TempDir Path tmp;

    private static List<Detection> perfect(Dataset d) {
        List<Detection> dets = new ArrayList<>();
        for (ImageRecord im : d.images()) {
            for (Annotation a : im.annotations()) {
                dets.add(new Detection(im.id(), a.categoryId(), a.x1(), a.y1(), a.x2(), a.y2(), 0.9f));
            }
        }
        return dets;
    }

    @Test
    void perfectDetectionsScoreOneInEveryMetric() throws Exception {
        Path data = tmp.resolve("shapes");
        CliRun s = CliRun.of("synth", "--kind", "shapes", "--split", "val", "--images", "12", "--seed", "3",
                "--out", data.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.isRegularFile(data.resolve("annotations.json")));
        Dataset gt = DatasetReader.read(data.resolve("annotations.json"), null, ReadOptions.strict()).dataset();
        assertEquals(12, gt.images().size());
        Path results = tmp.resolve("results.json");
        ResultsWriter.writeCoco(perfect(gt), gt, results);

        ObjectMapper json = new ObjectMapper();
        CliRun voc = CliRun.of("eval", "--gt", data.resolve("annotations.json").toString(), "--dt", results.toString(),
                "--metric", "voc07", "--json", "--plots", tmp.resolve("plots").toString());
        assertEquals(0, voc.code(), voc.err());
        JsonNode v = json.readTree(voc.out());
        assertEquals("voc07", v.get("metric").asText());
        assertEquals(1.0, v.get("mAP").asDouble(), 1e-9);
        assertEquals(gt.numClasses(), v.get("per_class").size());
        try (Stream<Path> plots = Files.list(tmp.resolve("plots"))) {
            assertEquals(gt.numClasses(), plots.filter(p -> p.toString().endsWith(".png")).count());
        }

        CliRun coco = CliRun.of("eval", "--gt", data.resolve("annotations.json").toString(), "--dt", results.toString(),
                "--metric", "coco", "--json");
        assertEquals(0, coco.code(), coco.err());
        JsonNode c = json.readTree(coco.out());
        for (String k : EvalCommand.COCO_KEYS) assertTrue(c.has(k), k);
        assertEquals(1.0, c.get("AP").asDouble(), 1e-9);
        assertEquals(1.0, c.get("AR100").asDouble(), 1e-9);
    }

    @Test
    void vocFormatWithSplitAndReadableTable() throws Exception {
        Path data = tmp.resolve("voc");
        CliRun s = CliRun.of("synth", "--kind", "shapes", "--split", "test", "--images", "6", "--format", "voc",
                "--out", data.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(Files.isRegularFile(data.resolve("ImageSets/Main/test.txt")));
        Dataset gt = DatasetReader.read(data, "test", ReadOptions.strict()).dataset();
        Path results = tmp.resolve("comp4");
        ResultsWriter.writeVoc(perfect(gt), gt, results, "test");
        CliRun r = CliRun.of("eval", "--gt", data.toString(), "--split", "test", "--dt", results.toString(),
                "--metric", "voc");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mAP"), r.out());
        assertTrue(r.out().contains("1.0000"), r.out());
    }

    @Test
    void backgroundsAreCheckedAndOnlyForFashion() {
        CliRun r = CliRun.of("synth", "--kind", "fashion", "--images", "1", "--backgrounds", "classic,tartan",
                "--out", tmp.resolve("f").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--backgrounds: unknown background family 'tartan'") && r.noStackTrace(), r.err());
        r = CliRun.of("synth", "--kind", "shapes", "--images", "1", "--backgrounds", "sharp", "--out", tmp.resolve("s").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--backgrounds: only fashion draws from background families"), r.err());
    }

    @Test
    void sameSeedSameBytesAndExistingOutputIsKept() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, CliRun.of("synth", "--kind", "shapes", "--images", "4", "--seed", "9", "--out", a.toString()).code());
        assertEquals(0, CliRun.of("synth", "--kind", "shapes", "--images", "4", "--seed", "9", "--out", b.toString()).code());
        assertArrayEquals(Files.readAllBytes(a.resolve("annotations.json")), Files.readAllBytes(b.resolve("annotations.json")));
        byte[] firstImage = Files.readAllBytes(a.resolve("images").resolve(firstPng(a)));
        assertArrayEquals(firstImage, Files.readAllBytes(b.resolve("images").resolve(firstPng(a))));

        byte[] before = Files.readAllBytes(a.resolve("annotations.json"));
        CliRun again = CliRun.of("synth", "--kind", "shapes", "--images", "4", "--seed", "10", "--out", a.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertArrayEquals(before, Files.readAllBytes(a.resolve("annotations.json")), "the user's data is untouched");
    }

    private static String firstPng(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("images"))) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }
}
