package org.rcnn4j.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.preprocess.ImageDecoder;

/** Runs a {@link Detector} over every image of a dataset, for evaluation and results files. */
public final class DatasetDetector {
    private DatasetDetector() {}

    /**
     * @param progress called with the number of images done (may be null)
     * @return all detections, carrying each image's id
     * @throws org.rcnn4j.io.BadInputException for a missing or unreadable image
     */
    public static List<Detection> detectAll(Detector detector, Dataset dataset, IntConsumer progress) {
        List<Detection> all = new ArrayList<>();
        int done = 0;
        for (ImageRecord im : dataset.images()) {
            all.addAll(detector.detect(ImageDecoder.decode(dataset.imagePath(im)), im));
            if (progress != null) progress.accept(++done);
        }
        return all;
    }
}
