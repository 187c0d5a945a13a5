package org.rcnn4j.proposals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.preprocess.RgbImage;

class SelectiveSearchSourceTest {
    /** A 48×48 grey image with a bright 12×12 square whose left edge is at {@code x0}. */
    static RgbImage square(int x0) {
        byte[] px = new byte[48 * 48 * 3];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                byte v = (byte) (x >= x0 && x < x0 + 12 && y >= 18 && y < 30 ? 230 : 60);
                for (int c = 0; c < 3; c++) px[(y * 48 + x) * 3 + c] = v;
            }
        }
        return new RgbImage(48, 48, px);
    }

    @Test
    void searchesEachImageOnceAndTellsImagesWithTheSameIdApartByFile() {
        SelectiveSearchSource source = new SelectiveSearchSource(SelectiveSearch.Mode.FAST, 2000, 1);
        AtomicInteger decodes = new AtomicInteger();
        ImageRecord a = new ImageRecord(0, "a", "a.png", 48, 48, List.of());
        ImageRecord b = new ImageRecord(0, "b", "b.png", 48, 48, List.of());
        Proposals first = source.proposals(a, () -> {
            decodes.incrementAndGet();
            return square(4);
        });
        Proposals again = source.proposals(a, () -> {
            decodes.incrementAndGet();
            return square(4);
        });
        assertEquals(1, decodes.get(), "the second request is served from the cache");
        assertArrayEquals(first.boxes(), again.boxes());
        Proposals other = source.proposals(b, () -> square(30));
        assertEquals(2, source.cachedImages());
        assertFalse(java.util.Arrays.equals(first.boxes(), other.boxes()), "image b has its own proposals");
        assertArrayEquals(new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 1).propose(square(30), 0).boxes(), other.boxes());
    }
}
