package org.rcnn4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageIds;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Detects the images of one partition, one row at a time as Spark pulls them, so that a partition of
 * any size holds one image's bytes, pixels and activations at a time. Each row comes out with the
 * input's columns and the detections and error columns ({@link DetectionColumns}).
 *
 * <p>A row whose image cannot be read, is not a complete image, or makes the detector fail gets an
 * error (the message {@code detect} prints for it, naming the file) and null detections; the task
 * goes on, so one bad file among millions never fails the job. A model that cannot be loaded does
 * fail the task: no row could be detected.
 */
final class PartitionDetection implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * What a task needs to know, sent with it.
     *
     * @param model          the model directory ({@link ModelLocation})
     * @param threads        libtorch's threads per task; 0: the task's cores ({@code spark.task.cpus})
     * @param scoreThreshold keep detections scoring at least this; NaN: the model's default
     * @param path           index of the path column (file names in messages; read when there is no content)
     * @param content        index of the binary content column, or -1 to read each file from its path
     * @param imageId        index of the image id column, or -1: the id {@code detect} gives the file alone
     */
    record Settings(String model, int threads, float scoreThreshold, int path, int content, int imageId) implements Serializable {}

    private final Settings settings;

    PartitionDetection(Settings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int threads = settings.threads() > 0 ? settings.threads() : task != null ? task.cpus() : 1;
        Detector detector = ExecutorDetectors.get(settings.model(), threads);
        float threshold = Float.isNaN(settings.scoreThreshold()) ? detector.defaultScoreThreshold() : settings.scoreThreshold();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return detect(rows.next(), detector, threshold);
            }
        };
    }

    private Row detect(Row row, Detector detector, float threshold) {
        Object[] values = new Object[row.size() + 2];
        for (int i = 0; i < row.size(); i++) values[i] = row.get(i);
        String file = row.isNullAt(settings.path()) ? "(no path)" : row.getString(settings.path());
        try {
            byte[] bytes = settings.content() >= 0 && !row.isNullAt(settings.content())
                    ? (byte[]) row.get(settings.content()) : HadoopFiles.readImage(file);
            RgbImage image = ImageDecoder.decode(bytes, Path.of(file));
            String name = ImageIds.stem(new org.apache.hadoop.fs.Path(file).getName());
            long id = settings.imageId() >= 0 && !row.isNullAt(settings.imageId())
                    ? ((Number) row.get(settings.imageId())).longValue() : ImageIds.next(name, new HashSet<>());
            ImageRecord record = new ImageRecord(id, name, file, image.width(), image.height(), List.of());
            List<Detection> kept = new ArrayList<>();
            for (Detection d : detector.detect(image, record)) if (d.score() >= threshold) kept.add(d);
            values[row.size()] = DetectionColumns.toRows(kept, detector);
        } catch (BadInputException e) {
            values[row.size() + 1] = e.getMessage();
        } catch (RuntimeException e) {
            values[row.size() + 1] = file + ": detection failed: " + e;
        }
        return RowFactory.create(values);
    }
}
