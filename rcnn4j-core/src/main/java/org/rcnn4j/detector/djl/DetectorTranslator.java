package org.rcnn4j.detector.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.detector.djl.DetectorBlock;

/**
 * DJL's {@code Image → DetectedObjects} for a model from {@link Rcnn4jModels}: the image goes to the
 * {@link DetectorBlock} as {@code (H, W, 3)} uint8 RGB, and its detections come back as
 * {@link DetectedObjects} with the class names of the training data, the scores as DJL's probabilities
 * (an R-CNN model's are its SVMs' margins: {@link org.rcnn4j.detector.DetectorModel#scoresAreMargins()}),
 * and DJL's {@link Rectangle}s: {@code x, y, width, height} as fractions of the image's width and
 * height ({@code x = x1 / W}, {@code width = (x2 - x1) / W}). Usage: see {@link Rcnn4jModels}.
 *
 * <p>One image per call (no batching: Faster R-CNN's batches are of 1–2 images anyway).
 */
public final class DetectorTranslator implements NoBatchifyTranslator<Image, DetectedObjects> {
    private static final String WIDTH = "rcnn4j.width", HEIGHT = "rcnn4j.height";
    private final float minScore;

    /** Keeps every detection the model's own score threshold keeps. */
    public DetectorTranslator() {
        this(Float.NEGATIVE_INFINITY);
    }

    /** Keeps detections scoring at least {@code minScore} (on top of the model's own threshold). */
    public DetectorTranslator(float minScore) {
        this.minScore = minScore;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        ctx.setAttachment(WIDTH, input.getWidth());
        ctx.setAttachment(HEIGHT, input.getHeight());
        return new NDList(input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR));
    }

    @Override
    public DetectedObjects processOutput(TranslatorContext ctx, NDList list) {
        Block block = ctx.getBlock();
        if (!(block instanceof DetectorBlock detectorBlock)) {
            throw new IllegalStateException("DetectorTranslator needs a model made by Rcnn4jModels, whose block is a DetectorBlock");
        }
        double w = (Integer) ctx.getAttachment(WIDTH);
        double h = (Integer) ctx.getAttachment(HEIGHT);
        float[] boxes = list.get(0).toFloatArray();
        float[] scores = list.get(1).toFloatArray();
        int[] categories = list.get(2).toIntArray();
        List<String> names = new ArrayList<>();
        List<Double> probabilities = new ArrayList<>();
        List<BoundingBox> rectangles = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < minScore) continue;
            names.add(detectorBlock.detector().categoryName(categories[i]));
            probabilities.add((double) scores[i]);
            float x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
            rectangles.add(new Rectangle(x1 / w, y1 / h, (x2 - x1) / w, (y2 - y1) / h));
        }
        return new DetectedObjects(names, probabilities, rectangles);
    }
}
