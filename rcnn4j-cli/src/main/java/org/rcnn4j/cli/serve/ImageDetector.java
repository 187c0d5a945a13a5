package org.rcnn4j.cli.serve;

import java.util.List;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.preprocess.RgbImage;

/**
 * How the server detects one decoded image: {@code detector::detect}
 * ({@link org.rcnn4j.detector.Detector#detect(RgbImage, ImageRecord, StageTimes)}), or a wrapper
 * around it that times it or, in tests, holds a worker until released. Called from every worker
 * thread at once.
 */
@FunctionalInterface
public interface ImageDetector {
    /**
     * @param image  the decoded request image
     * @param record its id (the results' {@code image_id}), name and size
     * @param times  where each stage's wall time is added
     * @return every detection the model keeps, in the image's pixels, before the request's score threshold
     */
    List<Detection> detect(RgbImage image, ImageRecord record, StageTimes times);
}
