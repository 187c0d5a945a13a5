package org.rcnn4j.modeling.postprocess;

import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Nms;

/**
 * Turns the predictor's per-RoI class scores and class-specific deltas into detections (Fast R-CNN
 * §4 "test-time"; R-CNN §2.2): decode each class's box, clip it to the image, drop scores below a
 * threshold and degenerate boxes, non-maximum suppression per class, keep the best
 * {@code detectionsPerImage}, and map back to the original image by the resize factor.
 * Plain Java on float arrays: R·K candidates, no native calls.
 */
public final class DetectionPostProcessor {
    private final BoxCoder coder;
    private final float scoreThreshold;
    private final float nmsThreshold;
    private final int detectionsPerImage;
    private final boolean perAxis;

    /**
     * @param coder              the coder the head's targets were encoded with
     * @param scoreThreshold     scores above it are kept: a probability for a softmax predictor (torchvision
     *                           0.05; py-faster-rcnn keeps all for evaluation), a margin for an SVM's
     * @param nmsThreshold       per-class NMS IoU (py-faster-rcnn TEST.NMS 0.3; torchvision 0.5)
     * @param detectionsPerImage at most this many detections per image (100, COCO's maxDets)
     */
    public DetectionPostProcessor(BoxCoder coder, float scoreThreshold, float nmsThreshold, int detectionsPerImage) {
        this(coder, scoreThreshold, nmsThreshold, detectionsPerImage, false);
    }

    /**
     * @param perAxis map boxes back by each axis's ratio, original over resized side in float32
     *                (torchvision's {@code resize_boxes}: its sides are floored, so the two ratios differ
     *                from each other and from 1 / scale), rather than by dividing by the resize factor
     *                (py-faster-rcnn's {@code im_scale})
     */
    public DetectionPostProcessor(BoxCoder coder, float scoreThreshold, float nmsThreshold, int detectionsPerImage,
            boolean perAxis) {
        this.coder = coder;
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
        this.detectionsPerImage = detectionsPerImage;
        this.perAxis = perAxis;
    }

    /**
     * @param scores    R×(K+1) class scores, row-major, column 0 background (ignored); higher is better,
     *                  not necessarily probabilities
     * @param deltas    R×4(K+1) class-specific deltas
     * @param proposals R×4 RoIs in the network input's coordinates
     * @param width     network input width (the resized image, before padding)
     * @param height    network input height
     * @param scale     resize factor input/original; boxes are divided by it
     * @param origWidth original image width, for the final clip
     * @param origHeight original image height
     */
    public ImageDetections postprocessDetections(float[] scores, float[] deltas, float[] proposals, int width, int height,
            float scale, int origWidth, int origHeight) {
        int r = Boxes.count(proposals);
        if (r == 0) return ImageDetections.EMPTY;
        int classes = scores.length / r;
        float[] decoded = Boxes.clip(coder.decodeClassSpecific(deltas, proposals, classes), width, height);
        int n = 0;
        for (int i = 0; i < r; i++) {
            for (int k = 1; k < classes; k++) if (scores[i * classes + k] > scoreThreshold) n++;
        }
        float[] boxes = new float[4 * n];
        float[] kept = new float[n];
        int[] labels = new int[n];
        int c = 0;
        for (int i = 0; i < r; i++) {
            for (int k = 1; k < classes; k++) {
                float s = scores[i * classes + k];
                if (!(s > scoreThreshold)) continue;
                System.arraycopy(decoded, (i * classes + k) * 4, boxes, 4 * c, 4);
                kept[c] = s;
                labels[c++] = k;
            }
        }
        int[] sized = Boxes.removeSmall(boxes, 1e-2f);
        boxes = Boxes.select(boxes, sized);
        kept = Boxes.gather(kept, sized);
        labels = Boxes.gather(labels, sized);
        int[] keep = Nms.batchedNms(boxes, kept, labels, nmsThreshold, detectionsPerImage);
        float[] out = Boxes.select(boxes, keep);
        if (perAxis) {
            float rx = (float) origWidth / width, ry = (float) origHeight / height;
            for (int i = 0; i < out.length; i++) out[i] *= i % 2 == 0 ? rx : ry;
        } else {
            for (int i = 0; i < out.length; i++) out[i] /= scale;
        }
        Boxes.clip(out, origWidth, origHeight);
        return new ImageDetections(out, Boxes.gather(kept, keep), Boxes.gather(labels, keep));
    }
}
