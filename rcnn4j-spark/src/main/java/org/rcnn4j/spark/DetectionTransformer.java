package org.rcnn4j.spark;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that runs an rcnn4j model over a DataFrame of images and adds their
 * detections ({@link DetectionColumns}: an array of {@code label, category_id, score, x1, y1, x2, y2}
 * and an error column). The images are either read from a column of paths (any file system Spark
 * reads) or taken from a column of bytes, such as Spark's {@code binaryFile} source gives:
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> found = new DetectionTransformer().setModelDir("/models/shapes").setContentCol("content")
 *         .transform(images);
 * }</pre>
 *
 * Each executor loads the model once ({@link ExecutorDetectors}) and detects its partitions row by
 * row ({@link PartitionDetection}); an unreadable image gives a row with an error, never a failed job.
 * Detections equal those of {@code rcnn4j detect} on the same files, with the same default score
 * threshold (the model's: 0.5 for probabilities, 0 for SVM margins), bit for bit when libtorch runs
 * each image on as many threads as {@code detect} did.
 *
 * <p>Params: {@code modelDir} (required; see {@link ModelLocation} for how executors find it),
 * {@code pathCol} ("path"), {@code contentCol} (unset: read each file from its path),
 * {@code imageIdCol} (unset: the id {@code detect} gives the file alone, its name's number or 1; the
 * id only seeds selective search for a model on external proposals), {@code outputCol}
 * ("detections"), {@code errorCol} ("error"), {@code scoreThreshold} (unset: the model's default) and
 * {@code threadsPerTask} (unset: {@code spark.task.cpus}, so that tasks × libtorch threads stay
 * within each executor's cores).
 */
public final class DetectionTransformer extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelDir;
    private final Param<String> pathCol;
    private final Param<String> contentCol;
    private final Param<String> imageIdCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final FloatParam scoreThreshold;
    private final IntParam threadsPerTask;

    public DetectionTransformer() {
        this(Identifiable.randomUID("rcnn4jDetection"));
    }

    /** The constructor Spark's {@code copy} calls. */
    public DetectionTransformer(String uid) {
        this.uid = uid;
        modelDir = new Param<>(this, "modelDir", "the rcnn4j model directory: a path every executor reads, a Hadoop URI, "
                + "or the name of an --archives entry");
        pathCol = new Param<>(this, "pathCol", "column of image paths (string)");
        contentCol = new Param<>(this, "contentCol", "column of image bytes (binary), e.g. binaryFile's 'content'; unset: read each path");
        imageIdCol = new Param<>(this, "imageIdCol", "column of image ids (int or bigint); unset: the file name's number, else 1");
        outputCol = new Param<>(this, "outputCol", "name of the detections column added");
        errorCol = new Param<>(this, "errorCol", "name of the error column added (null when the image was read)");
        scoreThreshold = new FloatParam(this, "scoreThreshold", "keep detections scoring at least this; unset: the model's default");
        threadsPerTask = new IntParam(this, "threadsPerTask", "libtorch threads per task (>= 1); unset: spark.task.cpus",
                ParamValidators.gtEq(1));
        setDefault(pathCol, "path");
        setDefault(outputCol, "detections");
        setDefault(errorCol, "error");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public Param<String> contentCol() {
        return contentCol;
    }

    public Param<String> imageIdCol() {
        return imageIdCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public FloatParam scoreThreshold() {
        return scoreThreshold;
    }

    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    public DetectionTransformer setModelDir(String value) {
        return (DetectionTransformer) set(modelDir, value);
    }

    public DetectionTransformer setPathCol(String value) {
        return (DetectionTransformer) set(pathCol, value);
    }

    public DetectionTransformer setContentCol(String value) {
        return (DetectionTransformer) set(contentCol, value);
    }

    public DetectionTransformer setImageIdCol(String value) {
        return (DetectionTransformer) set(imageIdCol, value);
    }

    public DetectionTransformer setOutputCol(String value) {
        return (DetectionTransformer) set(outputCol, value);
    }

    public DetectionTransformer setErrorCol(String value) {
        return (DetectionTransformer) set(errorCol, value);
    }

    public DetectionTransformer setScoreThreshold(float value) {
        return (DetectionTransformer) set(scoreThreshold, value);
    }

    public DetectionTransformer setThreadsPerTask(int value) {
        return (DetectionTransformer) set(threadsPerTask, value);
    }

    /**
     * The input's columns plus the detections and error columns.
     *
     * @throws IllegalArgumentException when modelDir is unset, a named column is missing or of the
     *                                  wrong type, or an added column's name is taken
     */
    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelDir)) throw new IllegalArgumentException("DetectionTransformer: set modelDir, the rcnn4j model directory");
        if (isDefined(contentCol)) requireColumn(schema, getOrDefault(contentCol), "contentCol", BinaryType.class);
        requireColumn(schema, getOrDefault(pathCol), "pathCol", StringType.class);
        if (isDefined(imageIdCol)) requireColumn(schema, getOrDefault(imageIdCol), "imageIdCol", LongType.class, IntegerType.class);
        String out = getOrDefault(outputCol);
        String err = getOrDefault(errorCol);
        for (String name : new String[] {out, err}) {
            if (Arrays.asList(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("DetectionTransformer: the input already has a column '" + name + "'");
            }
        }
        return DetectionColumns.append(schema, out, err);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        PartitionDetection.Settings settings = new PartitionDetection.Settings(getOrDefault(modelDir),
                isDefined(threadsPerTask) ? (Integer) getOrDefault(threadsPerTask) : 0,
                isDefined(scoreThreshold) ? (Float) getOrDefault(scoreThreshold) : Float.NaN,
                in.fieldIndex(getOrDefault(pathCol)),
                isDefined(contentCol) ? in.fieldIndex(getOrDefault(contentCol)) : -1,
                isDefined(imageIdCol) ? in.fieldIndex(getOrDefault(imageIdCol)) : -1);
        return dataset.toDF().mapPartitions(new PartitionDetection(settings), Encoders.row(out));
    }

    @Override
    public DetectionTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @SafeVarargs
    private static void requireColumn(StructType schema, String name, String param, Class<? extends DataType>... types) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("DetectionTransformer: " + param + ": no column '" + name + "' in " + schema.simpleString());
        }
        DataType type = schema.apply(name).dataType();
        for (Class<? extends DataType> t : types) if (t.isInstance(type)) return;
        throw new IllegalArgumentException("DetectionTransformer: " + param + ": column '" + name + "' is " + type.simpleString());
    }
}
