package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.proposals.SelectiveSearch;

/** rcnn4j proposals --method selective-search: the file, its order, thread independence and errors. */
class SelectiveSearchProposalsTest {
    @TempDir static Path tmp;
    static Path data;

    @BeforeAll
    static void synth() {
        CliRun s = CliRun.of("synth", "--kind", "shapes", "--images", "6", "--size", "96", "--seed", "3",
                "--out", tmp.resolve("shapes").toString());
        assertEquals(0, s.code(), s.err());
        data = tmp.resolve("shapes").resolve("annotations.json");
    }

    @Test
    void writesTheLibrarysProposalsInDatasetOrderWhateverTheThreads() throws Exception {
        Path one = tmp.resolve("one.json"), two = tmp.resolve("two.json");
        CliRun r1 = CliRun.of("proposals", "--method", "selective-search", "--data", data.toString(), "--out", one.toString(),
                "--threads", "1", "--seed", "4");
        assertEquals(0, r1.code(), r1.err());
        assertTrue(r1.err().contains("proposals 6/6 images"), r1.err());
        CliRun r2 = CliRun.of("proposals", "--method", "selective-search", "--data", data.toString(), "--out", two.toString(),
                "--threads", "2", "--seed", "4");
        assertEquals(0, r2.code(), r2.err());
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two), "the same bytes on 1 and 2 threads");

        Dataset dataset = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        Map<Long, Proposals> read = ProposalsFile.read(one, dataset);
        assertEquals(dataset.images().stream().map(ImageRecord::id).toList(), List.copyOf(read.keySet()), "dataset order");
        SelectiveSearch search = new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 4);
        long total = 0;
        for (ImageRecord im : dataset.images()) {
            Proposals expected = search.propose(ImageDecoder.decode(dataset.imagePath(im)), im.id());
            assertArrayEquals(expected.boxes(), read.get(im.id()).boxes(), "image " + im.id());
            assertArrayEquals(expected.scores(), read.get(im.id()).scores(), "image " + im.id());
            total += expected.size();
        }
        assertTrue(r1.out().startsWith("wrote " + total + " proposals for 6 images"), r1.out());
    }

    @Test
    void maxAndModeApply() throws Exception {
        Path out = tmp.resolve("q.json");
        CliRun r = CliRun.of("proposals", "--method", "selective-search", "--mode", "quality", "--max", "5",
                "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Dataset dataset = DatasetReader.read(data, null, ReadOptions.strict()).dataset();
        ImageRecord im = dataset.images().get(0);
        Proposals expected = new SelectiveSearch(SelectiveSearch.Mode.QUALITY, 5, 0)
                .propose(ImageDecoder.decode(dataset.imagePath(im)), im.id());
        assertEquals(5, expected.size());
        assertArrayEquals(expected.boxes(), ProposalsFile.read(out, dataset).get(im.id()).boxes());
    }

    @Test
    void anUnreadableImageIsOneLineNamingTheFile() throws Exception {
        Path copy = tmp.resolve("broken");
        CliRun s = CliRun.of("synth", "--kind", "shapes", "--images", "3", "--size", "64", "--seed", "3", "--out", copy.toString());
        assertEquals(0, s.code(), s.err());
        Path image;
        try (var files = Files.list(copy.resolve("images"))) {
            image = files.sorted().findFirst().orElseThrow();
        }
        Files.write(image, new byte[] {1, 2, 3});
        CliRun r = CliRun.of("proposals", "--method", "selective-search", "--data", copy.resolve("annotations.json").toString(),
                "--out", tmp.resolve("b.json").toString(), "--threads", "2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.noStackTrace(), r.err());
        String last = r.err().lines().filter(l -> l.startsWith("rcnn4j:")).findFirst().orElse("");
        assertTrue(last.contains(image.getFileName().toString()), r.err());
        assertTrue(Files.notExists(tmp.resolve("b.json")), "nothing written");
    }

    @Test
    void badOptionsAreUsageErrors() {
        String out = tmp.resolve("u.json").toString();
        CliRun mode = CliRun.of("proposals", "--method", "selective-search", "--mode", "slow", "--data", data.toString(), "--out", out);
        assertEquals(2, mode.code());
        assertTrue(mode.err().contains("--mode"), mode.err());
        CliRun method = CliRun.of("proposals", "--method", "edge-boxes", "--data", data.toString(), "--out", out);
        assertEquals(2, method.code());
        assertTrue(method.err().contains("selective-search or rpn"), method.err());
        CliRun threads = CliRun.of("proposals", "--method", "selective-search", "--threads", "0", "--data", data.toString(), "--out", out);
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads"), threads.err());
    }
}
