package org.rcnn4j.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.evaluation.ProposalRecall.Area;

class ProposalRecallTest {
    // Image 1: a small 20x20 object at the origin and a large 100x100 one; image 2: a medium 50x50
    // object and a crowd region (never counted); image 3: no objects.
    static final Dataset GT = new Dataset(Path.of("gt"), List.of(), List.of(new Category(1, "a")), List.of(
            new ImageRecord(1, "1", "1.png", 200, 200, List.of(
                    Annotation.of(1, 1, 0, 0, 20, 20), Annotation.of(2, 1, 100, 100, 200, 200))),
            new ImageRecord(2, "2", "2.png", 200, 200, List.of(
                    Annotation.of(3, 1, 0, 0, 50, 50), new Annotation(4, 1, 0, 0, 200, 200, 40000, false, true))),
            new ImageRecord(3, "3", "3.png", 200, 200, List.of())));

    @Test
    void recallByTopNIouAndArea() {
        Map<Long, Proposals> p = Map.of(
                // best first: covers the large object exactly, then the small one at IoU 10x20/(20x20) = 0.5
                1L, new Proposals(new float[] {100, 100, 200, 200, 0, 0, 10, 20}, new float[] {0.9f, 0.8f}),
                // the medium object at IoU 2500/(50x60) = 0.833
                2L, new Proposals(new float[] {0, 0, 50, 60}, new float[] {0.7f}));
        assertEquals(1.0, ProposalRecall.recall(GT, p, 2, 0.5f, Area.ALL), 1e-9);
        assertEquals(2 / 3.0, ProposalRecall.recall(GT, p, 1, 0.5f, Area.ALL), 1e-9);
        assertEquals(0.0, ProposalRecall.recall(GT, p, 1, 0.5f, Area.SMALL), 1e-9);
        assertEquals(1.0, ProposalRecall.recall(GT, p, 2, 0.5f, Area.SMALL), 1e-9);
        assertEquals(0.0, ProposalRecall.recall(GT, p, 2, 0.6f, Area.SMALL), 1e-9);
        assertEquals(1.0, ProposalRecall.recall(GT, p, 1, 0.8f, Area.MEDIUM), 1e-9);
        assertEquals(1.0, ProposalRecall.recall(GT, p, 1, 0.95f, Area.LARGE), 1e-9);
        // AR: large exact (10/10 thresholds), medium 0.833 (thresholds 0.50..0.80: 7/10), small 0.5 (1/10).
        assertEquals((1.0 + 0.7 + 0.1) / 3, ProposalRecall.averageRecall(GT, p, 2, Area.ALL), 1e-9);
    }

    @Test
    void summaryNamesEachAreaAndProposalCount() {
        Map<Long, Proposals> p = Map.of(
                1L, new Proposals(new float[] {100, 100, 200, 200, 0, 0, 10, 20}, new float[] {0.9f, 0.8f}),
                2L, new Proposals(new float[] {0, 0, 50, 60}, new float[] {0.7f}));
        Map<String, Double> m = ProposalRecall.summarize(GT, p);
        assertEquals(15, m.size());
        for (int n : new int[] {100, 300, 1000}) {
            assertEquals(0.6, m.get("AR@" + n), 1e-9);
            assertEquals(0.1, m.get("ARs@" + n), 1e-9);
            assertEquals(0.7, m.get("ARm@" + n), 1e-9);
            assertEquals(1.0, m.get("ARl@" + n), 1e-9);
            assertEquals(1.0, m.get("R50@" + n), 1e-9);
        }
        Dataset largeOnly = GT.withImages(List.of(GT.images().get(1)));
        assertEquals(-1.0, ProposalRecall.summarize(largeOnly, p).get("ARl@100"), "no large object there");
    }

    @Test
    void missingProposalsAndEmptyRanges() {
        assertEquals(0.0, ProposalRecall.recall(GT, Map.of(), 300, 0.5f, Area.ALL));
        Dataset none = GT.withImages(List.of(GT.images().get(2)));
        assertEquals(-1.0, ProposalRecall.recall(none, Map.of(), 300, 0.5f, Area.ALL));
        assertEquals(-1.0, ProposalRecall.averageRecall(none, Map.of(), 300, Area.LARGE));
    }
}
