package org.rcnn4j.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.rcnn4j.io.BadInputException;
import scala.Tuple2;

/**
 * Files named by a Hadoop path, so that images, models and results may be on any file system Spark
 * reads ({@code file:}, {@code hdfs:}, {@code s3a:}, ...): the same path string works on the driver
 * and on every executor.
 */
final class HadoopFiles {
    private HadoopFiles() {}

    /** This JVM's configuration, made on first use: {@link #configuration()}. */
    private static Configuration conf;

    /**
     * Hadoop's configuration as Spark gives it to its own readers: the cluster's files
     * ({@code core-site.xml} on the class path) plus every {@code spark.hadoop.*} setting of the job,
     * which is how credentials and endpoints for object stores are usually passed. Made once per
     * JVM: a new one per image parsed Hadoop's XML files again, and the job took 98 ms of CPU per
     * image against detect's 56 to 69 with the tiny Faster R-CNN ({@code bench/results/spark.md}).
     */
    static synchronized Configuration configuration() {
        if (conf == null) {
            Configuration c = new Configuration();
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                SparkConf spark = env.conf();
                for (Tuple2<String, String> kv : spark.getAllWithPrefix("spark.hadoop.")) c.set(kv._1(), kv._2());
            }
            conf = c;
        }
        return conf;
    }

    /**
     * All the bytes of an image file, with {@code ImageDecoder}'s messages for a file that is not
     * there or cannot be read.
     *
     * @throws BadInputException naming the file
     */
    static byte[] readImage(String file) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(configuration());
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new BadInputException(file, null, "image file not found", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(file, null, "image file cannot be read: permission denied", e);
        } catch (IOException | IllegalArgumentException | OutOfMemoryError e) {
            throw new BadInputException(file, null, "image file cannot be read: " + e.getMessage(), e);
        }
    }
}
