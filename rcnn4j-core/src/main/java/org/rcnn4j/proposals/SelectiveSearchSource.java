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
    /** Boxes per image when selective search runs on the fly at test time (R-CNN and Fast R-CNN: about 2000). */
    public static final int ON_THE_FLY_MAX = 2000;

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

    /**
     * Selective search as {@code detect} runs it without a proposals file (fast mode,
     * {@link #ON_THE_FLY_MAX} boxes, seed 0 with the image id), searching each time it is asked and
     * keeping nothing: for a service or a batch job, which see each image once, where the cache would
     * only grow with every image. The same image and id get the same proposals as this cached source.
     */
    public static ProposalSource onEachImage() {
        SelectiveSearch search = new SelectiveSearch(SelectiveSearch.Mode.FAST, ON_THE_FLY_MAX, 0);
        return (record, pixels) -> search.propose(pixels.get(), record.id());
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
