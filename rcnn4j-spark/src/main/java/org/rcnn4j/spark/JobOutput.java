package org.rcnn4j.spark;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.rcnn4j.io.BadInputException;

/**
 * The job's {@code --output}: written under a temporary name beside it and renamed into place once
 * complete, so that a failed or killed job leaves no half-written results under the name the user
 * gave; an existing output is never overwritten. Works on any Hadoop file system (the rename is
 * atomic on HDFS and local disks; object stores copy).
 */
final class JobOutput {
    private final FileSystem fs;
    private final Path target;
    private final Path temporary;

    private JobOutput(FileSystem fs, Path target, Path temporary) {
        this.fs = fs;
        this.target = target;
        this.temporary = temporary;
    }

    /**
     * Claims a temporary name beside {@code output}.
     *
     * @throws BadInputException when {@code output} exists already
     */
    static JobOutput of(String output, Configuration conf) throws IOException {
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(conf);
        target = fs.makeQualified(target);
        // On a local disk, no Hadoop checksum file (.name.crc) beside the user's results.
        if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
        if (fs.exists(target)) {
            throw new BadInputException(output, null, "exists already; the job never overwrites results: remove it or name another", null);
        }
        Path parent = target.getParent();
        return new JobOutput(fs, target, new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID()));
    }

    /** Where to write: the temporary name. */
    Path temporary() {
        return temporary;
    }

    FileSystem fileSystem() {
        return fs;
    }

    /** Renames the complete output into place. */
    void commit() throws IOException {
        if (fs.exists(target)) throw new IOException(target + " appeared while the job ran; the results stay in " + temporary);
        if (!fs.rename(temporary, target)) throw new IOException("cannot rename " + temporary + " to " + target);
    }

    /** Removes what was written under the temporary name (after a failure). */
    void abandon() {
        try {
            fs.delete(temporary, true);
        } catch (IOException e) {
            // Best effort: the failure being reported matters more than the leftover.
        }
    }

    @Override
    public String toString() {
        return target.toString();
    }
}
