package org.rcnn4j.config;

/**
 * Post-processing of the region stage's outputs into detections. Serialised as {@code test}.
 *
 * @param scoreThreshold     scores above it are kept (0.05 for softmax probabilities)
 * @param nms                per-class NMS IoU (0.3 in py-faster-rcnn's test; 0.5 in torchvision)
 * @param detectionsPerImage at most this many (100)
 */
public record TestConfig(float scoreThreshold, float nms, int detectionsPerImage) {
    /** Score threshold 0.05 and 100 detections per image (torchvision's), with per-class NMS at {@code nms}. */
    public static TestConfig withNms(float nms) {
        return new TestConfig(0.05f, nms, 100);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code test}). */
    public void validate(String prefix) {
        ConfigException.require(!Float.isNaN(scoreThreshold), ConfigException.path(prefix, "scoreThreshold"), "must be a number");
        ConfigException.inRange(nms, 0, 1, false, prefix, "nms");
        ConfigException.atLeast(detectionsPerImage, 1, prefix, "detectionsPerImage");
    }
}
