package org.rcnn4j.proposals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Proposals read once from a proposals file ({@link ProposalsFile}: {@code rcnn4j proposals --out},
 * or any tool writing {@code {"images": [{"image_id", "boxes", "scores"}]}}) and looked up by image
 * id. Immutable, so safe to share between threads.
 */
public final class ProposalsFileSource implements ProposalSource {
    private final Path file;
    private final Map<Long, Proposals> byImageId;

    /**
     * @param file      the file the proposals came from, for messages
     * @param byImageId per image id, proposals in original-image pixels, best first
     */
    public ProposalsFileSource(Path file, Map<Long, Proposals> byImageId) {
        this.file = file;
        this.byImageId = Map.copyOf(byImageId);
    }

    /**
     * Reads {@code file} for the images of {@code dataset} (ids and names resolve as
     * {@link ProposalsFile#read} says).
     *
     * @throws BadInputException for a malformed file, naming the entry and field
     */
    public static ProposalsFileSource read(Path file, Dataset dataset) throws IOException {
        return new ProposalsFileSource(file, ProposalsFile.read(file, dataset));
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Number of images the file has proposals for. */
    public int size() {
        return byImageId.size();
    }

    /**
     * {@inheritDoc} Never decodes the image.
     *
     * @throws BadInputException naming the file and the image id when the file has no entry for the image
     */
    @Override
    public Proposals proposals(ImageRecord record, Supplier<RgbImage> pixels) {
        Proposals p = byImageId.get(record.id());
        if (p == null) {
            throw new BadInputException(file, "images", "no entry for image id " + record.id() + " (" + record.name()
                    + "); the file has proposals for " + byImageId.size() + " images");
        }
        return p;
    }
}
