package org.rcnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.OutputWriteException;

/**
 * A directory the command builds whole: everything goes into a hidden sibling first, which is
 * renamed into place only when complete, so an interrupted run never leaves a half-written
 * dataset and never touches what the user already has there (unless they asked to replace it).
 */
final class OutputDirectory implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final boolean replace;
    private boolean committed;

    private OutputDirectory(Path target, Path staging, boolean replace) {
        this.target = target;
        this.staging = staging;
        this.replace = replace;
    }

    /**
     * @param replace whether an existing non-empty {@code target} may be replaced
     * @throws UsageException when {@code target} has content and {@code replace} is false
     */
    static OutputDirectory create(Path target, boolean replace) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UsageException(target + ": exists and is not a directory");
        }
        if (!replace && Files.isDirectory(abs) && !isEmpty(abs)) {
            throw new UsageException(target + ": directory is not empty; pass --overwrite to replace it");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
        return new OutputDirectory(abs, staging, replace);
    }

    /** Where to write: the staging directory until {@link #commit()}. */
    Path path() {
        return staging;
    }

    /** Moves the finished directory into place, replacing an old one if allowed. */
    void commit() throws IOException {
        if (Files.exists(target)) {
            if (!replace && !isEmpty(target)) {
                throw new UsageException(target + ": directory is not empty; pass --overwrite to replace it");
            }
            deleteRecursively(target);
        }
        AtomicFiles.setPermissions(staging, target, AtomicFiles.DIRECTORY_PERMISSIONS);
        AtomicFiles.move(staging, target);
        committed = true;
    }

    /**
     * A failure while building the directory, reported against the directory the user named rather
     * than a file in the hidden staging one: when a write ran out of space (or failed otherwise),
     * an {@link OutputWriteException} for {@code target}; anything else unchanged.
     */
    Exception reported(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutputWriteException w) return new OutputWriteException(target, Files.exists(target), w);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        if (!committed) deleteRecursively(staging);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
