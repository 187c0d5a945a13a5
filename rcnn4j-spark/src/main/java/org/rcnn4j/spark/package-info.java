/**
 * Batch detection on Apache Spark, for image sets beyond one machine: any rcnn4j model directory
 * over a distributed set of images, with the detections of {@code rcnn4j detect}.
 *
 * <p>{@link org.rcnn4j.spark.DetectionTransformer} is the Spark ML {@code Transformer} (a DataFrame
 * of paths or of {@code binaryFile} bytes in, a detections and an error column added);
 * {@link org.rcnn4j.spark.DetectJob} is the {@code spark-submit} job around it (list, detect, write
 * Parquet or COCO results). On the executors, {@code ExecutorDetectors} holds one loaded detector
 * per JVM, {@code PartitionDetection} detects a partition row by row, {@code ModelLocation} finds
 * the model directory and {@code HadoopFiles} reads images from any file system Spark reads. On the
 * driver, {@code ImageListing} lists and numbers the images as {@code detect} does and
 * {@code JobOutput} writes the results under a temporary name, renamed when complete.
 *
 * <p>Why not DJL's own Spark extension: it is built for Scala 2.12 and loads models from DJL's
 * model zoo; this needs a Transformer for Spark 4 (Scala 2.13, Java 17) around rcnn4j's
 * {@link org.rcnn4j.detector.Detector}, which is these few classes.
 *
 * <p><b>Layering.</b> Imports rcnn4j-core (never the command line); rcnn4j-core knows nothing of
 * Spark. Spark, Hadoop, Jackson, Gson and SLF4J come from the cluster ({@code provided}); the job jar
 * carries rcnn4j-core, DJL and libtorch's natives.
 */
package org.rcnn4j.spark;
