package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.modeling.sampling.Proposals;
import org.rcnn4j.preprocess.ImageDecoder;

/** rcnn4j proposals --method rpn on a tiny model trained through the command line. */
class ProposalsCommandTest {
    @TempDir static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        data = PretrainCommandTest.synthShapes(tmp.resolve("shapes"));
        model = tmp.resolve("model");
        CliRun.trainTinyModel(data, model);
    }

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
    void aMissingModelIsAUsageError() {
        String out = tmp.resolve("p.json").toString();
        CliRun noModel = CliRun.of("proposals", "--method", "rpn", "--data", data.toString(), "--out", out);
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("--model"), noModel.err());
    }
}
