package org.rcnn4j.proposals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Proposals computed from the pixels by {@link SelectiveSearch} when an image is first asked for,
 * then kept: R-CNN and Fast R-CNN computed them once per image ahead of training, and training
 * visits each image many times. The cache holds about 32 KB per image at 2000 boxes.
 *
 * <p>Images are told apart by id and file name. Safe for several threads; an image is searched once
 * even when two threads ask for it together.
 * Results follow the seed and the image id only ({@link SelectiveSearch}), never the thread.
 */
public final class SelectiveSearchSource implements ProposalSource {
    private final SelectiveSearch search;
    private final Map<Key, Proposals> cache = new ConcurrentHashMap<>();

    /**
     * An image as the cache knows it: its id and its file. The id alone is not enough: a caller
     * detecting on loose files may give every image the same id ({@code Detector.detect(Path)} uses 0).
     */
    private record Key(long id, String file) {}

    /**
     * @param mode fast (R-CNN's) or quality
     * @param max  boxes kept per image (R-CNN and Fast R-CNN: about 2000)
     * @param seed ranking seed
     */
    public SelectiveSearchSource(SelectiveSearch.Mode mode, int max, long seed) {
        this.search = new SelectiveSearch(mode, max, seed);
    }

    @Override
    public Proposals proposals(ImageRecord record, Supplier<RgbImage> pixels) {
        return cache.computeIfAbsent(new Key(record.id(), record.fileName()), key -> search.propose(pixels.get(), key.id()));
    }

    /** Images searched so far. */
    public int cachedImages() {
        return cache.size();
    }
}
