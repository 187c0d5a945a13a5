package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RandomCrop;
import org.rcnn4j.preprocess.RgbImage;

/** Proposals come in original pixels and move into the training frame exactly as the ground truth does. */
class ProposalSourceTest {
    @TempDir Path tmp;

    static final Supplier<RgbImage> NO_PIXELS = () -> {
        throw new AssertionError("a file-backed source must not decode the image");
    };

    static BatchImage frame(int origW, int origH, double scale, boolean flipped) {
        int w = (int) Math.round(origW * scale), h = (int) Math.round(origH * scale);
        return new BatchImage(new ImageRecord(1, "a", "a.png", origW, origH, List.of()), null, 0, 0, origW, origH, w, h,
                Math.min(w, h), scale, flipped, new float[0], new int[0], new boolean[0], new boolean[0]);
    }

    @Test
    void scaledFlippedAndClippedIntoTheInputFrame() {
        // 100×80 image at scale 2 → 200×160. [10,20,50,60] → [20,40,100,120]; flipped in 200: [100,40,180,120].
        // [90,70,120,90] → [180,140,240,180], clipped to [180,140,200,160]; flipped: [0,140,20,160].
        Proposals p = new Proposals(new float[] {10, 20, 50, 60, 90, 70, 120, 90}, new float[] {0.9f, 0.4f});
        assertArrayEquals(new float[] {20, 40, 100, 120, 180, 140, 200, 160},
                ProposalSource.toInputFrame(p, frame(100, 80, 2, false)).boxes());
        Proposals flipped = ProposalSource.toInputFrame(p, frame(100, 80, 2, true));
        assertArrayEquals(new float[] {100, 40, 180, 120, 0, 140, 20, 160}, flipped.boxes());
        assertArrayEquals(p.scores(), flipped.scores());
        assertArrayEquals(new float[] {10, 20, 50, 60, 90, 70, 120, 90}, p.boxes(), "the source's arrays are not modified");
    }

    @Test
    void aProposalOnAnObjectLandsOnItsGroundTruthBoxInTheTrainingFrame() {
        float[] box = {13.5f, 7.25f, 41f, 30f};
        ImageRecord record = new ImageRecord(4, "x", "x.png", 60, 40, List.of(Annotation.of(1, 1, box[0], box[1], box[2], box[3])));
        Dataset data = new Dataset(null, List.of(), List.of(new Category(1, "a")), List.of(record));
        ProposalSource source = (r, px) -> new Proposals(box.clone(), new float[] {1});
        for (boolean flip : new boolean[] {false, true}) {
            PreparedImage prepared = PreparedImage.prepare(new RgbImage(60, 40, new byte[60 * 40 * 3]), record, null, data,
                    100, 1000, flip);
            Proposals p = source.proposalsFor(prepared.image(), NO_PIXELS, 10);
            assertArrayEquals(prepared.image().boxes(), p.boxes(), 1e-4f, "flip " + flip);
        }
    }

    /** In a training crop: shifted by the window's offset, clipped to it, and dropped when it cuts them away. */
    @Test
    void aCropShiftsClipsAndDropsProposalsAsItDoesTheGroundTruth() {
        float[] box = {30, 12, 50, 30};
        ImageRecord record = new ImageRecord(4, "x", "x.png", 60, 40, List.of(Annotation.of(1, 1, box[0], box[1], box[2], box[3])));
        Dataset data = new Dataset(null, List.of(), List.of(new Category(1, "a")), List.of(record));
        RgbImage image = new RgbImage(60, 40, new byte[60 * 40 * 3]);
        // The first window with an offset that a seeded crop of at least half of each side draws.
        RandomCrop.Cropped window = null;
        for (long seed = 0; window == null || window.x0() == 0 || window.y0() == 0 || window.y0() >= 10; seed++) {
            window = new RandomCrop(1, 0.5, 0.9).apply(image, record, new java.util.SplittableRandom(seed));
        }
        PreparedImage prepared = PreparedImage.prepare(window, record, null, data, 50, 1000, true);
        assertEquals(window.x0(), prepared.image().cropX());
        // On the object; wholly left of the window (dropped); straddling its left edge (clipped).
        float[] boxes = {box[0], box[1], box[2], box[3], 0, 0, window.x0(), 5, 0, 0, window.x0() + 4, 10};
        Proposals p = ProposalSource.toInputFrame(new Proposals(boxes, new float[] {0.9f, 0.5f, 0.3f}), prepared.image());
        assertEquals(2, p.size(), "the proposal the window cuts away is dropped");
        assertArrayEquals(prepared.image().boxes(), java.util.Arrays.copyOf(p.boxes(), 4), 1e-4f, "lands on the ground truth");
        assertArrayEquals(new float[] {0.9f, 0.3f}, p.scores());
        double s = prepared.image().scale();
        float w = prepared.image().width();
        // Flipped: the clipped [0, 0, 4, 10 - y0] in the window → x in [W - 4s, W].
        assertArrayEquals(new float[] {w - (float) (4 * s), 0, w, (float) ((10 - window.y0()) * s)},
                java.util.Arrays.copyOfRange(p.boxes(), 4, 8), 1e-3f);
    }

    @Test
    void theBestMaxAreKept() {
        Proposals p = new Proposals(new float[] {0, 0, 1, 1, 0, 0, 2, 2, 0, 0, 3, 3}, new float[] {3, 2, 1});
        Proposals two = ProposalSource.best(p, 2);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 2, 2}, two.boxes());
        assertArrayEquals(new float[] {3, 2}, two.scores());
        assertSame(p, ProposalSource.best(p, 3));
        assertEquals(0, ProposalSource.best(p, 0).size());
    }

    @Test
    void theFileSourceLooksUpByImageIdWithoutDecoding() throws Exception {
        Dataset data = new Dataset(null, List.of(), List.of(new Category(1, "a")), List.of(
                new ImageRecord(5, "000005", "000005.jpg", 100, 80, List.of()),
                new ImageRecord(9, "street", "street.jpg", 64, 64, List.of())));
        Map<Long, Proposals> in = new LinkedHashMap<>();
        in.put(9L, new Proposals(new float[] {1, 2, 30, 40, 3, 4, 5, 6}, new float[] {0.2f, 0.9f}));
        Path file = tmp.resolve("proposals.json");
        ProposalsFile.write(in, file);
        ProposalsFileSource source = ProposalsFileSource.read(file, data);
        assertEquals(1, source.size());
        Proposals p = source.proposals(data.images().get(1), NO_PIXELS);
        assertArrayEquals(new float[] {3, 4, 5, 6, 1, 2, 30, 40}, p.boxes(), "best first");
        BadInputException e = assertThrows(BadInputException.class, () -> source.proposals(data.images().get(0), NO_PIXELS));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("image id 5"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }
}
