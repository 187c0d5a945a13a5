package org.rcnn4j.detector.djl;

import ai.djl.Model;
import java.nio.file.Path;
import java.util.UUID;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.djl.DetectorBlock;
import org.rcnn4j.proposals.SelectiveSearch;

/**
 * rcnn4j detectors as DJL {@link Model}s, for code written against DJL's {@code Predictor}:
 *
 * <pre>{@code
 * try (Model model = Rcnn4jModels.load(Path.of("models/shapes"));
 *         Predictor<Image, DetectedObjects> predictor = model.newPredictor(new DetectorTranslator())) {
 *     DetectedObjects found = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("street.png")));
 * }
 * }</pre>
 *
 * ({@code Image}, {@code ImageFactory}: {@code ai.djl.modality.cv}; {@code DetectedObjects}:
 * {@code ai.djl.modality.cv.output}.) The model's block is a {@link DetectorBlock}; its
 * detections equal {@link Detector#detect}'s, with boxes as fractions of the image size (see
 * {@link DetectorTranslator}). Closing the model closes the detector.
 *
 * <p>A detector on external proposals (R-CNN, Fast R-CNN) that has no proposal source yet gets
 * selective search in fast mode, at most 2000 boxes per image, as the command line does, run on
 * every image it is given (nothing is kept: the block cannot tell images apart by id); give it
 * another source through {@code ((DetectorBlock) model.getBlock()).detector().useProposals(...)}.
 */
public final class Rcnn4jModels {
    private Rcnn4jModels() {}

    /**
     * Loads a model directory written by training as a DJL model named after the directory.
     *
     * @throws org.rcnn4j.io.BadInputException when the directory is missing or damaged
     */
    public static Model load(Path modelDir) {
        Detector detector = Detector.load(modelDir);
        Path name = modelDir.toAbsolutePath().normalize().getFileName();
        try {
            return of(detector, name == null ? "rcnn4j" : name.toString());
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    /** Wraps a loaded detector; the returned model owns it and closes it when it is closed. */
    public static Model of(Detector detector, String name) {
        detector.model().externalProposals().filter(e -> e.proposalSource().isEmpty()).ifPresent(e -> {
            SelectiveSearch search = new SelectiveSearch(SelectiveSearch.Mode.FAST, 2000, 0);
            e.useProposals((record, pixels) -> search.propose(pixels.get(), record.id()));
        });
        Model model = Model.newInstance(name);
        model.setBlock(new DetectorBlock(detector));
        model.setProperty("rcnn4j.detector", detector.description().detector());
        // The detector's weights live in its own NDManager; tie their lifetime to the model's.
        model.getNDManager().attachInternal("rcnn4j-detector-" + UUID.randomUUID(), detector);
        return model;
    }
}
