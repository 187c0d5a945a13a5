package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.synth.ShapesGenerator;
import org.rcnn4j.data.synth.SynthSpec;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;

/** Selective search end to end: the recall goal on {@code shapes} val, ranking, determinism. */
class SelectiveSearchTest {
    @TempDir static Path tmp;
    static Dataset val;
    static Map<Long, RgbImage> images = new HashMap<>();
    static Map<Long, Proposals> fast = new HashMap<>();

    @BeforeAll
    static void proposeOnShapesVal() {
        val = new ShapesGenerator().generate(new SynthSpec("val", 30, 128, 5), tmp.resolve("val"), n -> {});
        SelectiveSearch search = new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 7);
        long start = System.nanoTime();
        for (ImageRecord im : val.images()) {
            RgbImage image = ImageDecoder.decode(val.imagePath(im));
            images.put(im.id(), image);
            fast.put(im.id(), search.propose(image, im.id()));
        }
        System.out.printf("selective search fast, 128 px: %.1f ms per image%n", (System.nanoTime() - start) / 1e6 / val.images().size());
    }

    @Test
    void fastModeRecallsShapesAtIoU05() {
        double recall = ProposalRecall.recall(val, fast, 2000, 0.5f, ProposalRecall.Area.ALL);
        double recall07 = ProposalRecall.recall(val, fast, 2000, 0.7f, ProposalRecall.Area.ALL);
        System.out.printf("shapes val: recall %.3f at IoU 0.5, %.3f at 0.7, %.0f boxes per image%n", recall, recall07,
                fast.values().stream().mapToInt(Proposals::size).average().orElse(0));
        assertTrue(recall >= 0.90, "recall at IoU 0.5 with at most 2000 boxes: " + recall);
    }

    @Test
    void proposalsAreDistinctWholePixelBoxesInsideTheImageWithDescendingScores() {
        for (ImageRecord im : val.images()) {
            Proposals p = fast.get(im.id());
            assertTrue(p.size() > 0 && p.size() <= 2000);
            Set<List<Float>> distinct = new HashSet<>();
            float[] b = p.boxes();
            for (int i = 0; i < p.size(); i++) {
                float x1 = b[4 * i], y1 = b[4 * i + 1], x2 = b[4 * i + 2], y2 = b[4 * i + 3];
                assertTrue(0 <= x1 && x1 < x2 && x2 <= im.width() && 0 <= y1 && y1 < y2 && y2 <= im.height(), "box " + i);
                assertEquals(Math.rint(x1), x1);
                assertTrue(distinct.add(List.of(x1, y1, x2, y2)), "duplicate box " + i);
                if (i > 0) assertTrue(p.scores()[i] <= p.scores()[i - 1], "scores descend");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameProposalsOnAnyNumberOfThreads() throws Exception {
        SelectiveSearch search = new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 7);
        List<ImageRecord> some = val.images().subList(0, 4);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Proposals>> futures = some.stream()
                    .map(im -> pool.submit(() -> search.propose(images.get(im.id()), im.id()))).toList();
            for (int i = 0; i < some.size(); i++) {
                Proposals again = futures.get(i).get();
                Proposals first = fast.get(some.get(i).id());
                assertArrayEquals(first.boxes(), again.boxes());
                assertArrayEquals(first.scores(), again.scores());
            }
        } finally {
            pool.shutdown();
        }
        RgbImage image = images.get(some.get(0).id());
        Proposals otherSeed = new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 8).propose(image, some.get(0).id());
        Proposals otherId = search.propose(image, some.get(0).id() + 1);
        Proposals first = fast.get(some.get(0).id());
        assertEquals(first.size(), otherSeed.size(), "the same boxes, only ranked differently");
        assertTrue(!java.util.Arrays.equals(first.boxes(), otherSeed.boxes()), "another seed, another order");
        assertTrue(!java.util.Arrays.equals(first.boxes(), otherId.boxes()), "another image id, another order");
    }

    @Test
    void maxKeepsTheBestRankedPrefix() {
        ImageRecord im = val.images().get(0);
        Proposals ten = new SelectiveSearch(SelectiveSearch.Mode.FAST, 10, 7).propose(images.get(im.id()), im.id());
        Proposals all = fast.get(im.id());
        assertEquals(10, ten.size());
        assertArrayEquals(java.util.Arrays.copyOf(all.boxes(), 40), ten.boxes());
    }
}
