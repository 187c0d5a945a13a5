package org.rcnn4j.proposals;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.Flip;
import org.rcnn4j.preprocess.Resize;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Where a detector on external proposals (R-CNN, SPP-net, Fast R-CNN) gets each image's region
 * proposals: a proposals file ({@link ProposalsFileSource}), or a method run on the image's pixels
 * (selective search). A source is a run-time input, not part of a model: the same trained model
 * detects on the proposals of whatever source it is given.
 *
 * <p>Boxes are in the original image's pixels (absolute continuous {@code x1 y1 x2 y2}, as
 * {@link org.rcnn4j.data.Annotation}); {@link #toInputFrame} brings them into a resized, maybe
 * flipped network input. Implementations must be safe to call from several threads.
 */
public interface ProposalSource {
    /**
     * The proposals of one image, best first.
     *
     * @param record the image (id, name, size)
     * @param pixels its decoded original pixels, computed on demand: a method that looks at the image
     *               calls it, a file-backed source never does
     * @return R proposals in original-image pixels, in descending score order
     * @throws org.rcnn4j.io.BadInputException when the source has no proposals for this image
     */
    Proposals proposals(ImageRecord record, Supplier<RgbImage> pixels);

    /**
     * The best {@code max} proposals of a training or test input: {@link #proposals} of
     * {@code image.record()}, scaled by {@code image.scale()}, mirrored when {@code image.flipped()}
     * and clipped to the input, i.e. in the same frame as the image's ground-truth boxes.
     *
     * @param pixels the original decoded pixels, on demand
     */
    default Proposals proposalsFor(BatchImage image, Supplier<RgbImage> pixels, int max) {
        return toInputFrame(best(proposals(image.record(), pixels), max), image);
    }

    /**
     * Proposals in original-image pixels moved into {@code image}'s input frame: less the crop
     * offset and clipped to the crop window ({@link BatchImage#cropX()}; a training crop), times
     * {@code scale}, then {@code x → W − x} when flipped ({@link Flip#boxes}), clipped to
     * {@code width × height}. A proposal of positive area that the window cuts away entirely is
     * dropped (it would be an empty box); the others keep their order and scores.
     */
    static Proposals toInputFrame(Proposals original, BatchImage image) {
        float[] boxes = original.boxes().clone();
        int n = original.size();
        boolean[] hadArea = new boolean[n];
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            boxes[o] -= image.cropX();
            boxes[o + 1] -= image.cropY();
            boxes[o + 2] -= image.cropX();
            boxes[o + 3] -= image.cropY();
            hadArea[i] = boxes[o + 2] > boxes[o] && boxes[o + 3] > boxes[o + 1];
        }
        Boxes.clip(boxes, image.originalWidth(), image.originalHeight());
        int[] keep = IntStream.range(0, n)
                .filter(i -> !hadArea[i] || boxes[4 * i + 2] > boxes[4 * i] && boxes[4 * i + 3] > boxes[4 * i + 1])
                .toArray();
        float[] kept = keep.length == n ? boxes : Boxes.select(boxes, keep);
        float[] scores = keep.length == n ? original.scores() : Boxes.gather(original.scores(), keep);
        kept = Resize.scaleBoxes(kept, image.scale());
        if (image.flipped()) kept = Flip.boxes(kept, image.width());
        Boxes.clip(kept, image.width(), image.height());
        return new Proposals(kept, scores);
    }

    /** The first {@code max} proposals (the best, as a source returns them best first). */
    static Proposals best(Proposals p, int max) {
        if (p.size() <= max) return p;
        return new Proposals(Arrays.copyOf(p.boxes(), 4 * max), Arrays.copyOf(p.scores(), max));
    }
}
