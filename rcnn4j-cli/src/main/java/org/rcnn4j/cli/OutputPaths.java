package org.rcnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work, that the files and directories a command will write can be written:
 * without them a command would detect or train for minutes and only then fail on its write. Writing
 * itself stays atomic ({@link org.rcnn4j.io.AtomicFiles}, {@link OutputDirectory}).
 */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * A file {@code option} names: it is written as a sibling temporary file renamed over it, so its
     * nearest existing folder must be a directory rcnn4j may write in.
     *
     * @throws UsageException naming the option, the file and what is in the way
     */
    static void checkFile(Path file, String option) {
        if (Files.isDirectory(file)) throw new UsageException(option + ": " + file + " is a directory; it names a file to write");
        Path parent = file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
        checkFolder(parent, file, option);
    }

    /**
     * A directory {@code option} names, written into (or created with its parents).
     *
     * @throws UsageException naming the option, the directory and what is in the way
     */
    static void checkDirectory(Path dir, String option) {
        checkFolder(dir, dir, option);
    }

    /** {@code folder}, or its nearest existing ancestor, is a directory that can be written in. */
    private static void checkFolder(Path folder, Path target, String option) {
        Path p = folder;
        while (p != null && !Files.exists(p)) p = p.getParent() != null ? p.getParent() : parentOf(p);
        if (p == null) return;
        if (!Files.isDirectory(p)) {
            throw new UsageException(option + ": " + target + " cannot be written: " + p + " is a file, not a directory");
        }
        if (!Files.isWritable(p)) throw new UsageException(option + ": " + target + " cannot be written: no permission to write in " + p);
    }

    /** The absolute parent of a relative path without one ({@code out} → the working directory). */
    private static Path parentOf(Path p) {
        return p.isAbsolute() ? null : p.toAbsolutePath().getParent();
    }
}
