package org.rcnn4j.detector;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.Autograd;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * A trained detector loaded from a model directory, for use in a JVM service:
 *
 * <pre>{@code
 * try (Detector detector = Detector.load(Path.of("model"))) {
 *     List<Detection> found = detector.detect(Path.of("street.jpg"));
 * }
 * }</pre>
 *
 * Detections are in the original image's pixels (continuous x1 y1 x2 y2) with the training
 * dataset's category ids ({@link #categoryName}). Safe to call from several threads: each call
 * works in its own NDManager, closed before it returns, with autograd's recording off
 * ({@link Autograd#withoutRecording}), and the weights are only read.
 */
public final class Detector implements AutoCloseable {
    private final DetectorModel model;
    private final ModelDirectory.Description description;
    private final ParameterStore ps;

    private Detector(DetectorModel model, ModelDirectory.Description description) {
        this.model = model;
        this.description = description;
        this.ps = new ParameterStore(model.manager(), false);
    }

    /** Loads a model directory written by training; a damaged one raises a one-line BadInputException. */
    public static Detector load(Path modelDir) {
        return load(modelDir, c -> c);
    }

    /**
     * Loads a model directory with test-time settings changed by {@code adjust} (for example
     * {@link DetectorConfig#withTestProposals}); the adjusted config must keep the weights' shapes.
     */
    public static Detector load(Path modelDir, java.util.function.UnaryOperator<DetectorConfig> adjust) {
        ModelDirectory.Description d = ModelDirectory.describe(modelDir);
        ModelDirectory.Description adjusted = new ModelDirectory.Description(d.detector(), d.categories(),
                adjust.apply(d.config()), d.normalize(), d.weightsSha256(), d.training());
        return new Detector(ModelDirectory.load(modelDir, adjusted), adjusted);
    }

    /** Wraps a model in memory (e.g. right after training). */
    public static Detector of(DetectorModel model, ModelDirectory.Description description) {
        return new Detector(model, description);
    }

    public List<Category> categories() {
        return description.categories();
    }

    public ModelDirectory.Description description() {
        return description;
    }

    public DetectorModel model() {
        return model;
    }

    /** Whether the model detects on proposals given to it ({@link #useProposals}) rather than its own. */
    public boolean takesProposals() {
        return model.externalProposals().isPresent();
    }

    /**
     * Sets where a detector on external proposals (Fast R-CNN) gets each image's proposals; a source
     * keyed by image id must know the ids of the records passed to {@link #detect(RgbImage, ImageRecord)}.
     *
     * @return this detector
     * @throws IllegalArgumentException when the model makes its own proposals ({@link #takesProposals()} is false)
     */
    public Detector useProposals(ProposalSource source) {
        ExternalProposals e = model.externalProposals().orElseThrow(() -> new IllegalArgumentException(
                description.detector() + " makes its own region proposals; it takes none from outside"));
        e.useProposals(source);
        return this;
    }

    /**
     * The score a detection needs when the caller gives no threshold: 0.5 for a model whose scores
     * are probabilities; 0, the SVMs' own decision boundary, for an R-CNN or SPP-net model scoring by
     * margins. {@code detect}, {@code serve} and the Spark job use it alike.
     */
    public float defaultScoreThreshold() {
        return model.scoresAreMargins() ? 0f : 0.5f;
    }

    /** The class name of a category id, or {@code "?"} for an unknown one. */
    public String categoryName(int categoryId) {
        for (Category c : description.categories()) if (c.id() == categoryId) return c.name();
        return "?";
    }

    /** Decodes and detects one image file (image id 0). */
    public List<Detection> detect(Path imageFile) {
        RgbImage image = ImageDecoder.decode(imageFile);
        return detect(image, new ImageRecord(0, "image", imageFile.toString(), image.width(), image.height(), List.of()));
    }

    /** Detects in a decoded image; detections carry {@code record.id()}. */
    public List<Detection> detect(RgbImage image, ImageRecord record) {
        return detect(image, record, StageTimes.none());
    }

    /** As {@link #detect(RgbImage, ImageRecord)}, adding each stage's wall time to {@code times}. */
    public List<Detection> detect(RgbImage image, ImageRecord record, StageTimes times) {
        times.start();
        return Autograd.withoutRecording(() -> {
            try (NDManager sub = model.manager().newSubManager()) {
                ImageDetections d = model.detect(ps, sub, image, record, description.normalize(), times);
                times.addImages(1);
                return toDetections(d, record.id());
            }
        });
    }

    /** The model's test-time proposals for a decoded image, in original-image pixels, best first. */
    public Proposals propose(RgbImage image, ImageRecord record) {
        return Autograd.withoutRecording(() -> {
            try (NDManager sub = model.manager().newSubManager()) {
                return model.propose(ps, sub, image, record, description.normalize());
            }
        });
    }

    List<Detection> toDetections(ImageDetections d, long imageId) {
        List<Detection> out = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            int categoryId = description.categories().get(d.classes()[i] - 1).id();
            float[] b = d.boxes();
            out.add(new Detection(imageId, categoryId, b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3], d.scores()[i]));
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
