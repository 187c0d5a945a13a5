package org.rcnn4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.rcnn4j.io.BadInputException;

/**
 * Where a JVM of the job finds the model directory the user named, tried in this order:
 * <ol>
 *   <li>a local directory at that path: a file system every node mounts at the same place (NFS, a
 *       cluster's shared volume), the driver's own disk in local mode, or an archive that the cluster
 *       unpacked into the executor's working directory ({@code --archives model.zip#model} on YARN
 *       and Kubernetes, then {@code --model model});</li>
 *   <li>a directory of that name among the files Spark distributed with {@code --archives} or
 *       {@code --files} ({@link SparkFiles#get}): where local mode and standalone clusters put them;</li>
 *   <li>a Hadoop URI ({@code hdfs://}, {@code s3a://}, ...): its files are copied once per JVM into a
 *       local temporary directory, since the model is read with the JDK's file API.</li>
 * </ol>
 * Whatever the route, the directory is then loaded as {@code detect} loads it.
 */
final class ModelLocation {
    private ModelLocation() {}

    /**
     * The local directory holding {@code model}.
     *
     * @throws BadInputException naming {@code model} when none of the three routes finds it
     */
    static java.nio.file.Path resolve(String model) {
        String scheme = new org.apache.hadoop.fs.Path(model).toUri().getScheme();
        if (scheme == null || scheme.equals("file")) {
            java.nio.file.Path local = java.nio.file.Path.of(scheme == null ? model : new org.apache.hadoop.fs.Path(model).toUri().getPath());
            if (Files.isDirectory(local)) return local;
            if (scheme == null && SparkEnv.get() != null) {
                java.nio.file.Path distributed = java.nio.file.Path.of(SparkFiles.get(model));
                if (Files.isDirectory(distributed)) return distributed;
            }
            throw new BadInputException(model, null, "model directory not found (on a cluster: a path every node can read, "
                    + "a Hadoop URI such as hdfs://..., or the name of an --archives entry)", null);
        }
        return copyToLocal(model);
    }

    private static java.nio.file.Path copyToLocal(String model) {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(model);
        try {
            FileSystem fs = dir.getFileSystem(HadoopFiles.configuration());
            if (!fs.getFileStatus(dir).isDirectory()) throw new BadInputException(model, null, "not a model directory", null);
            java.nio.file.Path local = Files.createTempDirectory("rcnn4j-model-");
            local.toFile().deleteOnExit();
            for (FileStatus f : fs.listStatus(dir)) {
                if (!f.isFile()) continue;
                java.nio.file.Path copy = local.resolve(f.getPath().getName());
                try (InputStream in = fs.open(f.getPath())) {
                    Files.copy(in, copy);
                }
                copy.toFile().deleteOnExit();
            }
            return local;
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException(model, null, "model directory not found", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model directory " + model + ": " + e.getMessage(), e);
        }
    }
}
