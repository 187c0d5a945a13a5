package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.preprocess.ImageDecoder;

/** rcnn4j proposals --method rpn on a tiny model trained through the command line. */
class ProposalsCommandTest extends TinyModelCliTest {
    @Test
    void writesTheBestRpnProposalsOfEveryImage() throws Exception {
        Path out = tmp.resolve("proposals.json");
        CliRun r = CliRun.of("proposals", "--method", "rpn", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--max", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("proposals 4/4 images"), r.err());
        Dataset dataset = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        Map<Long, Proposals> read = ProposalsFile.read(out, dataset);
        assertEquals(4, read.size());
        long total = read.values().stream().mapToInt(Proposals::size).sum();
        assertTrue(r.out().startsWith("wrote " + total + " proposals for 4 images"), r.out());
        try (Detector detector = Detector.load(model)) {
            for (ImageRecord im : dataset.images()) {
                Proposals all = detector.propose(ImageDecoder.decode(dataset.imagePath(im)), im);
                Proposals p = read.get(im.id());
                assertEquals(Math.min(7, all.size()), p.size(), "image " + im.id());
                assertTrue(p.size() > 0, "an untrained-ish RPN still proposes");
                for (int i = 0; i < p.size(); i++) {
                    assertEquals(all.scores()[i], p.scores()[i], "the best first, exactly as the detector gives them");
                    float[] b = p.boxes();
                    assertTrue(b[4 * i] >= 0 && b[4 * i + 2] <= im.width() && b[4 * i + 1] >= 0 && b[4 * i + 3] <= im.height(),
                            "inside the original image");
                }
                assertArrayEquals(java.util.Arrays.copyOf(all.boxes(), 4 * p.size()), p.boxes());
            }
        }
    }

    @Test
    void moreProposalsThanTheModelKeepsAtTestTime() throws Exception {
        Dataset dataset = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        ImageRecord im = dataset.images().get(0);
        Proposals usual;
        int kept;
        try (Detector detector = Detector.load(model)) {
            kept = detector.description().config().testProposals();
            usual = detector.propose(ImageDecoder.decode(dataset.imagePath(im)), im);
        }
        try (Detector more = Detector.load(model, c -> c.withTestProposals(kept + 500));
                Detector fewer = Detector.load(model, c -> c.withTestProposals(3))) {
            assertEquals(kept + 500, more.description().config().testProposals());
            Proposals p = more.propose(ImageDecoder.decode(dataset.imagePath(im)), im);
            assertTrue(p.size() >= usual.size(), p.size() + " < " + usual.size());
            assertArrayEquals(usual.boxes(), java.util.Arrays.copyOf(p.boxes(), 4 * usual.size()),
                    "the same ranking: the usual proposals come first");
            Proposals top3 = fewer.propose(ImageDecoder.decode(dataset.imagePath(im)), im);
            assertArrayEquals(java.util.Arrays.copyOf(usual.boxes(), 12), top3.boxes());
        }
        Path out = tmp.resolve("many.json");
        CliRun r = CliRun.of("proposals", "--method", "rpn", "--model", model.toString(), "--data", data.toString(),
                "--out", out.toString(), "--max", String.valueOf(kept + 500));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("the RPN keeps " + (kept + 500) + " proposals per image for this run"), r.err());
    }

    @Test
    void averageRecallOfAProposalsFile() throws Exception {
        // Proposals that are the ground truth itself on even-numbered images and nothing on the others:
        // recall at every IoU is the share of objects on even-numbered images.
        Dataset dataset = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        Map<Long, Proposals> exact = new java.util.LinkedHashMap<>();
        long covered = 0;
        for (int i = 0; i < dataset.images().size(); i++) {
            ImageRecord im = dataset.images().get(i);
            int n = i % 2 == 0 ? im.annotations().size() : 0;
            float[] boxes = new float[4 * n];
            for (int k = 0; k < n; k++) System.arraycopy(im.annotations().get(k).box(), 0, boxes, 4 * k, 4);
            exact.put(im.id(), new Proposals(boxes, new float[n]));
            covered += n;
        }
        Path file = tmp.resolve("exact.json");
        ProposalsFile.write(exact, file);
        CliRun r = CliRun.of("eval", "--metric", "ar", "--data", data.toString(), "--proposals", file.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<?, ?> report = new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.out(), Map.class);
        double share = (double) covered / dataset.numAnnotations();
        assertTrue(share > 0 && share < 1, "both kinds of image have objects");
        for (String key : new String[] {"AR@100", "AR@1000", "R50@300"}) {
            assertEquals(share, ((Number) report.get(key)).doubleValue(), 1e-9, key);
        }
        CliRun table = CliRun.of("eval", "--metric", "ar", "--data", data.toString(), "--model", model.toString());
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("1000 ")), table.out());
        CliRun both = CliRun.of("eval", "--metric", "ar", "--data", data.toString(), "--dt", file.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--metric ar scores region proposals"), both.err());
    }

    @Test
    void aMissingModelIsAUsageError() {
        String out = tmp.resolve("p.json").toString();
        CliRun noModel = CliRun.of("proposals", "--method", "rpn", "--data", data.toString(), "--out", out);
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("--model"), noModel.err());
    }
}
