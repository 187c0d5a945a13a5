package org.rcnn4j.detector;

import java.util.List;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Category;
import org.rcnn4j.preprocess.RgbImage;

/** Small untrained models and inputs the detector tests share, in this package and below. */
public final class TinyDetectors {
    /** Two classes, ids 1 and 2. */
    public static final List<Category> CLASSES = List.of(new Category(1, "a"), new Category(2, "b"));

    private TinyDetectors() {}

    /** A tiny Faster R-CNN whose post-processor keeps every score, so an untrained model still detects. */
    public static FasterRcnnConfig fasterRcnn() {
        return FasterRcnnConfig.small("tiny", 2, 64, new float[] {16, 32}).withTest(new TestConfig(0f, 0.3f, 100));
    }

    /** A w×h image of diagonal stripes: texture for the backbone, the same bytes every time. */
    public static RgbImage stripes(int w, int h) {
        byte[] px = new byte[3 * w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) ((i * 37) % 251);
        return new RgbImage(w, h, px);
    }
}
