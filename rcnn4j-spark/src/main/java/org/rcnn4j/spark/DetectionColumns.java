package org.rcnn4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rcnn4j.data.Detection;
import org.rcnn4j.detector.Detector;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The two columns {@link DetectionTransformer} adds, and the Spark types they hold:
 * <pre>
 * detections: array&lt;struct&lt;label: string, category_id: int, score: float,
 *                           x1: float, y1: float, x2: float, y2: float&gt;&gt;   (null when error is set)
 * error:      string                                                    (null when the image was read)
 * </pre>
 * Boxes are as everywhere in rcnn4j: absolute continuous {@code x1 y1 x2 y2} in the original image's
 * pixels; {@code category_id} is the training data's category id and {@code label} its name.
 * The floats are the detector's own, so that they write the same COCO numbers as {@code detect}.
 */
final class DetectionColumns {
    /** One detection. */
    static final StructType DETECTION = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.StringType, false),
        DataTypes.createStructField("category_id", DataTypes.IntegerType, false),
        DataTypes.createStructField("score", DataTypes.FloatType, false),
        DataTypes.createStructField("x1", DataTypes.FloatType, false),
        DataTypes.createStructField("y1", DataTypes.FloatType, false),
        DataTypes.createStructField("x2", DataTypes.FloatType, false),
        DataTypes.createStructField("y2", DataTypes.FloatType, false)});

    private DetectionColumns() {}

    /** {@code input} with the detections and error columns added under the given names. */
    static StructType append(StructType input, String detections, String error) {
        return input.add(DataTypes.createStructField(detections, DataTypes.createArrayType(DETECTION, false), true))
                .add(DataTypes.createStructField(error, DataTypes.StringType, true));
    }

    /**
     * The detections of one image as the array column's value (a Scala sequence, which Spark's row
     * encoder takes), labels from {@code detector}'s classes.
     */
    static scala.collection.Seq<Row> toRows(List<Detection> found, Detector detector) {
        List<Row> rows = new ArrayList<>(found.size());
        for (Detection d : found) {
            rows.add(RowFactory.create(detector.categoryName(d.categoryId()), d.categoryId(), d.score(), d.x1(), d.y1(), d.x2(), d.y2()));
        }
        return CollectionConverters.asScala(rows);
    }

    /** A row of the detections column back as a detection on image {@code imageId}. */
    static Detection fromRow(Row r, long imageId) {
        return new Detection(imageId, r.getInt(1), r.getFloat(3), r.getFloat(4), r.getFloat(5), r.getFloat(6), r.getFloat(2));
    }
}
