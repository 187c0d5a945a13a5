package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Optional;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.ResizeConvention;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.NativeFloats;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.preprocess.TorchvisionResize;

/**
 * A detector of the family as the library runs it: trainable ({@link TrainableDetector}), and able to
 * detect and propose on prepared batches. Owns an NDManager holding its parameters; close it to free
 * them. Per-batch arrays belong to the caller's sub-manager.
 */
public interface DetectorModel extends TrainableDetector, AutoCloseable {
    /** Its {@link DetectorKind#name()}. */
    String kind();

    DetectorConfig config();

    /** The backbone: the convolutional layers the detector's heads share. */
    Backbone backbone();

    /**
     * Whether its detection scores are margins of linear SVMs (R-CNN with its SVMs), which can be
     * negative and have no upper bound, rather than probabilities in [0, 1].
     */
    default boolean scoresAreMargins() {
        return false;
    }

    /** The model's proposal stage as the place to give it proposals, when it takes them from outside. */
    default Optional<ExternalProposals> externalProposals() {
        return Optional.empty();
    }

    /**
     * The backbone maps the heads consume in training: the single-scale output by default; C2–C5
     * for FPN (its pyramid neck excluded). {@code TrainingSpeed} times this forward
     * pass and its backward against a whole training iteration.
     */
    default NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        return new NDList(backbone().features(ps, images, training));
    }

    /**
     * Detections of each image of a batch, in original-image pixels, class indices 1..K, charging each
     * stage's wall time to {@code times}.
     *
     * @param images (N, 3, H, W) normalised, padded input
     */
    List<ImageDetections> detect(ParameterStore ps, NDArray images, List<BatchImage> meta, StageTimes times);

    /** The test-time region proposals of each image, in the network input's pixels. */
    List<Proposals> propose(ParameterStore ps, NDArray images, List<BatchImage> meta);

    /**
     * Detections of one decoded image: prepared at the config's single scale, then
     * {@link #detect(ParameterStore, NDArray, List, StageTimes)}. A detector that tests on an image
     * pyramid overrides this.
     *
     * @param sub the request's manager; the input array lives in it
     */
    default ImageDetections detect(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record,
            Normalize normalize, StageTimes times) {
        DetectionBatch batch = testBatch(config().input(), image, record, normalize);
        NDArray x = NativeFloats.input(sub, batch);
        times.lap("preprocess");
        return detect(ps, x, batch.images(), times).get(0);
    }

    /**
     * The test-time proposals of one decoded image, in the original image's pixels, best first.
     *
     * @param sub the request's manager
     */
    default Proposals propose(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record, Normalize normalize) {
        DetectionBatch batch = testBatch(config().input(), image, record, normalize);
        NDArray x = NativeFloats.input(sub, batch);
        Proposals p = propose(ps, x, batch.images()).get(0);
        float[] boxes = p.boxes().clone();
        BatchImage im = batch.image(0);
        if (config().input().resize() == ResizeConvention.TORCHVISION) { // per axis, as its detections
            float rx = (float) im.originalWidth() / im.width(), ry = (float) im.originalHeight() / im.height();
            for (int i = 0; i < boxes.length; i++) boxes[i] *= i % 2 == 0 ? rx : ry;
        } else {
            float inv = (float) (1 / im.scale());
            for (int i = 0; i < boxes.length; i++) boxes[i] *= inv;
        }
        Boxes.clip(boxes, image.width(), image.height());
        return new Proposals(boxes, p.scores());
    }

    /**
     * One test image as the network takes it: resized at the config's single scale by its
     * {@link ResizeConvention}, normalised, padded to its size divisibility.
     */
    static DetectionBatch testBatch(InputConfig in, RgbImage image, ImageRecord record, Normalize normalize) {
        if (in.resize() == ResizeConvention.TORCHVISION) {
            return TorchvisionResize.batch(image, record, normalize, in.shortSide(), in.maxSize(), in.sizeDivisibility());
        }
        PreparedImage prepared = PreparedImage.forInference(image, record, null, in.shortSide(), in.maxSize());
        return DetectionBatch.assemble(List.of(prepared), normalize, in.sizeDivisibility());
    }

    @Override
    void close();
}
