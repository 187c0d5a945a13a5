package org.rcnn4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.evaluation.CocoResultsWriter;
import org.rcnn4j.io.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The batch job: {@code spark-submit --class org.rcnn4j.spark.DetectJob rcnn4j-spark-VERSION-job.jar
 * --model DIR --input PATH --output PATH [--format parquet|coco]}. Lists the images on the driver
 * ({@link ImageListing}), detects them on the executors ({@link DetectionTransformer}) and writes
 * either a Parquet table (path, image_id, detections, error: one row per image, unreadable ones
 * included) or the COCO results JSON that {@code rcnn4j detect --json} writes for the same images,
 * byte for byte. An unreadable image is reported (one line each, as {@code detect}) and the job still
 * succeeds. Bad options, a missing model or input, or an existing output: one line and exit code 2.
 */
@Command(
        name = "rcnn4j-spark",
        mixinStandardHelpOptions = true,
        description = {
            "Detect objects in images on Apache Spark with an rcnn4j model directory.",
            "Writes a Parquet table (path, image_id, detections, error) or, with --format coco, the COCO results JSON of detect --json.",
            "An unreadable image gets a row with an error (Parquet) or is left out (COCO); the job still succeeds."
        })
public final class DetectJob implements Callable<Integer> {
    /** Images per partition when --partitions is not given: small enough to balance, large enough that task overhead is noise. */
    static final int IMAGES_PER_PARTITION = 64;
    /** Unreadable images printed one per line; the rest are counted. */
    static final int ERRORS_PRINTED = 20;

    /**
     * The environment the {@code rcnn4j} launcher gives libtorch, for executors whose job conf does
     * not set it: idle OpenMP workers sleep, and glibc's malloc asks for huge pages (README,
     * "Performance notes").
     */
    private static final java.util.Map<String, String> EXECUTOR_ENV = java.util.Map.of(
            "spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE",
            "spark.executorEnv.GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");

    /** The two results formats. */
    enum Format { parquet, coco }

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A model directory written by 'rcnn4j train': a path every executor can read, a Hadoop URI, or an --archives name.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "An image file, a directory of images (not its subdirectories) or a glob, on any file system Spark reads.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where the results go; must not exist.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet", description = "parquet (default) or coco.")
    Format format;

    @Option(names = "--score-threshold", paramLabel = "T",
            description = "Keep detections scoring at least T (default: the model's, as detect: 0.5, or 0 for SVM margins).")
    Float scoreThreshold;

    @Option(names = "--threads-per-task", paramLabel = "N",
            description = "libtorch threads per task (default: spark.task.cpus, so that tasks x threads <= each executor's cores).")
    Integer threadsPerTask;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the image list (default: one per " + IMAGES_PER_PARTITION + " images, at least Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    public static void main(String[] args) {
        int code = run(args);
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        if (code != 0) System.exit(code);
    }

    /** Runs the job in the active Spark session (or a new one) and returns its exit code: 0, 1 (a failure), 2 (bad input). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new DetectJob());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("rcnn4j: " + e.getMessage());
            err.println("Try 'rcnn4j-spark --help'.");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            boolean debug = parsed.hasMatchedOption("--debug");
            if (debug) e.printStackTrace(err);
            // An executor that cannot load the model fails its tasks with the one line that says why.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BadInputException bad) {
                    err.println("rcnn4j: " + bad.getMessage());
                    err.flush();
                    return 2;
                }
            }
            // Spark's messages carry the executor's stack trace after their first line.
            String first = String.valueOf(e).lines().findFirst().orElse("");
            err.println("rcnn4j: error: " + first + (debug ? "" : " (run with --debug for the stack trace)"));
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        if (scoreThreshold != null && !Float.isFinite(scoreThreshold)) usage("--score-threshold: expected a finite number, got " + scoreThreshold);
        if (threadsPerTask != null && threadsPerTask < 1) usage("--threads-per-task: expected at least 1, got " + threadsPerTask);
        if (partitions != null && partitions < 1) usage("--partitions: expected at least 1, got " + partitions);
        SparkSession spark = session();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            ModelDirectory.describe(ModelLocation.resolve(model));
        } catch (BadInputException e) {
            usage("--model: " + e.getMessage());
        }
        ImageListing images = null;
        JobOutput out = null;
        try {
            images = ImageListing.of(input, conf);
        } catch (BadInputException e) {
            usage("--input: " + e.getMessage());
        }
        try {
            out = JobOutput.of(output, conf);
        } catch (BadInputException e) {
            usage("--output: " + e.getMessage());
        }
        long start = System.nanoTime();
        Dataset<Row> detected = detect(spark, images);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Summary summary;
        try {
            summary = format == Format.coco ? writeCoco(detected, out) : writeParquet(spark, detected, out);
            out.commit();
        } catch (Exception e) { // Spark's own SparkException is checked, and Scala throws it undeclared
            out.abandon();
            throw e;
        }
        for (String e : summary.errors()) err.println("rcnn4j: " + e);
        if (summary.failed() > summary.errors().size()) {
            err.printf(Locale.ROOT, "rcnn4j: ... and %d more%s%n", summary.failed() - summary.errors().size(),
                    format == Format.parquet ? " (the error column of " + out + ")" : "");
        }
        err.flush();
        double seconds = (System.nanoTime() - start) / 1e9;
        stdout.printf(Locale.ROOT, "%d detections in %d images; results in %s%n", summary.detections(), summary.read(), out);
        // Detection and writing, from the first task to the renamed output: what a cluster adds to it is Spark's share.
        stdout.printf(Locale.ROOT, "%d images in %.1f s: %.2f images/s%n", images.paths().size(), seconds, images.paths().size() / seconds);
        if (summary.failed() > 0) stdout.printf(Locale.ROOT, "%d images could not be read%n", summary.failed());
        stdout.flush();
        return 0;
    }

    /**
     * The running Spark session (local mode in a test, a notebook), or a new one. A new one gives its
     * executors {@code OMP_WAIT_POLICY=PASSIVE} and {@code GLIBC_TUNABLES=glibc.malloc.hugetlb=1}
     * unless the job's conf sets them: libtorch's idle OpenMP workers then sleep instead of spinning,
     * which on shared cores made two threads slower than one, and its large activations get huge
     * pages, which made R50-FPN detection 2.46× faster (README, "Performance notes"); the
     * {@code rcnn4j} launcher sets the same. Both are read when a process starts or its natives
     * load, so they must be in the executor's environment, and local mode's one JVM takes them from
     * the environment spark-submit runs in.
     */
    private static SparkSession session() {
        if (SparkSession.getDefaultSession().isDefined()) return SparkSession.getDefaultSession().get();
        SparkSession.Builder builder = SparkSession.builder().appName("rcnn4j detect");
        SparkConf conf = new SparkConf();
        EXECUTOR_ENV.forEach((key, value) -> {
            if (!conf.contains(key)) builder.config(key, value);
        });
        return builder.getOrCreate();
    }

    /** The images as a DataFrame (path, image_id) in listing order, detected: path, image_id, detections, error. */
    private Dataset<Row> detect(SparkSession spark, ImageListing images) {
        int n = images.paths().size();
        int parallelism = spark.sparkContext().defaultParallelism();
        int slices = partitions != null ? partitions
                : Math.min(n, Math.max(parallelism, (n + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION));
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(RowFactory.create(images.paths().get(i), images.imageIds().get(i)));
        StructType schema = new StructType()
                .add("path", DataTypes.StringType, false)
                .add("image_id", DataTypes.LongType, false);
        Dataset<Row> list = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices), schema);
        DetectionTransformer transformer = new DetectionTransformer().setModelDir(model).setImageIdCol("image_id");
        if (scoreThreshold != null) transformer.setScoreThreshold(scoreThreshold);
        if (threadsPerTask != null) transformer.setThreadsPerTask(threadsPerTask);
        return transformer.transform(list);
    }

    /** What the job did, for its last lines. */
    private record Summary(long read, long detections, long failed, List<String> errors) {}

    private static Summary writeParquet(SparkSession spark, Dataset<Row> detected, JobOutput out) {
        detected.write().parquet(out.temporary().toString());
        Dataset<Row> written = spark.read().parquet(out.temporary().toString());
        Row counts = written.agg(count("*"), count(col("error")), sum(when(col("error").isNull(), size(col("detections"))))).first();
        List<String> errors = new ArrayList<>();
        for (Row r : written.where(col("error").isNotNull()).select("error").limit(ERRORS_PRINTED).collectAsList()) errors.add(r.getString(0));
        long failed = counts.getLong(1);
        return new Summary(counts.getLong(0) - failed, counts.isNullAt(2) ? 0 : counts.getLong(2), failed, errors);
    }

    /**
     * Detects every partition at once (kept until written), then streams the rows to the driver in
     * listing order, writing COCO rows as {@code detect --json} does: images in order, each one's
     * detections in the detector's order, unreadable images left out.
     */
    private static Summary writeCoco(Dataset<Row> detected, JobOutput out) throws IOException {
        Dataset<Row> kept = detected.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            kept.count();
            long read = 0;
            long detections = 0;
            long failed = 0;
            List<String> errors = new ArrayList<>();
            try (OutputStream stream = out.fileSystem().create(out.temporary(), false);
                    CocoResultsWriter coco = new CocoResultsWriter(stream)) {
                Iterator<Row> rows = kept.toLocalIterator();
                while (rows.hasNext()) {
                    Row r = rows.next();
                    if (!r.isNullAt(3)) {
                        failed++;
                        if (errors.size() < ERRORS_PRINTED) errors.add(r.getString(3));
                        continue;
                    }
                    read++;
                    long imageId = r.getLong(1);
                    for (Row d : r.<Row>getList(2)) {
                        coco.write(DetectionColumns.fromRow(d, imageId));
                        detections++;
                    }
                }
            }
            return new Summary(read, detections, failed, errors);
        } finally {
            kept.unpersist();
        }
    }

    private void usage(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
