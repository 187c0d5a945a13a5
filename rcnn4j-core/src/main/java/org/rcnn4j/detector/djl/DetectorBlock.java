package org.rcnn4j.detector.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.preprocess.RgbImage;

/**
 * A loaded {@link Detector} as a DJL {@link ai.djl.nn.Block}, so that DJL's {@code Predictor} can
 * run it (see {@link Rcnn4jModels}). Inference only.
 *
 * <p>Input: one image as DJL's {@code Image.toNDArray} gives it, {@code (H, W, 3)} uint8 RGB (HWC).
 * The block resizes and normalises it itself, as {@link Detector#detect(RgbImage, ImageRecord)}
 * does, because mapping boxes back to the image needs the resize scale; Faster R-CNN's
 * post-processing (proposal filtering, per-class NMS) runs in Java inside the forward pass.
 *
 * <p>Output, D detections in descending score order per class as the detector returns them:
 * <ol>
 *   <li>{@code boxes}: (D, 4) float32, absolute continuous {@code x1 y1 x2 y2} in the input image's pixels;</li>
 *   <li>{@code scores}: (D) float32;</li>
 *   <li>{@code category_ids}: (D) int32, the training dataset's category ids ({@link Detector#categoryName}).</li>
 * </ol>
 * The output arrays belong to the input array's manager. The block has no DJL parameters of its
 * own: the detector's weights live in its model; the {@link ParameterStore} argument is not used.
 */
public final class DetectorBlock extends AbstractBlock {
    private final Detector detector;

    /** @param detector the detector to run; the block does not own it (whoever closes the model closes it) */
    public DetectorBlock(Detector detector) {
        this.detector = detector;
    }

    /** The wrapped detector. */
    public Detector detector() {
        return detector;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) throw new UnsupportedOperationException("DetectorBlock is for inference; train with DetectorTraining");
        RgbImage image = toRgbImage(inputs.singletonOrThrow());
        List<Detection> found = detector.detect(image, new ImageRecord(0, "image", "image", image.width(), image.height(), List.of()));
        float[] boxes = new float[4 * found.size()];
        float[] scores = new float[found.size()];
        int[] categories = new int[found.size()];
        for (int i = 0; i < found.size(); i++) {
            Detection d = found.get(i);
            boxes[4 * i] = d.x1();
            boxes[4 * i + 1] = d.y1();
            boxes[4 * i + 2] = d.x2();
            boxes[4 * i + 3] = d.y2();
            scores[i] = d.score();
            categories[i] = d.categoryId();
        }
        NDManager m = inputs.head().getManager();
        NDArray b = m.create(boxes, new Shape(found.size(), 4));
        b.setName("boxes");
        NDArray s = m.create(scores, new Shape(found.size()));
        s.setName("scores");
        NDArray c = m.create(categories, new Shape(found.size()));
        c.setName("category_ids");
        return new NDList(b, s, c);
    }

    /** An {@code (H, W, 3)} uint8 array as an {@link RgbImage} (same HWC byte layout). */
    static RgbImage toRgbImage(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 3 || shape.get(2) != 3) {
            throw new IllegalArgumentException("expected an (H, W, 3) RGB image array, got shape " + shape);
        }
        if (array.getDataType() != DataType.UINT8) {
            throw new IllegalArgumentException("expected uint8 pixels, got " + array.getDataType());
        }
        return new RgbImage((int) shape.get(1), (int) shape.get(0), array.toByteArray());
    }

    /** (D, 4), (D), (D) with D unknown before the forward pass. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(-1, 4), new Shape(-1), new Shape(-1)};
    }
}
