package org.rcnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes that never leave a user's file half-written: the bytes go to a temporary file beside the
 * target, which is then renamed over it (atomically where the file system allows).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes a whole file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary sibling and a rename. On any failure the temporary
     * file is removed and {@code target} is untouched; a failure to write the bytes (a full disk, a
     * file-size limit) is an {@link OutputWriteException} naming {@code target} and saying so.
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            } catch (OutputWriteException e) {
                throw e;
            } catch (IOException e) {
                throw new OutputWriteException(target, Files.exists(target), e);
            }
            setPermissions(tmp, target, FILE_PERMISSIONS);
            move(tmp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Like {@link #write} but wraps the IOException, for use inside lambdas. */
    public static void writeUnchecked(Path target, Content content) {
        try {
            write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rw-r--r--: what a user expects of a file they asked for (a temp file is created rw-------). */
    public static final String FILE_PERMISSIONS = "rw-r--r--";
    /** rwxr-xr-x, for directories built in a temporary place and renamed into position. */
    public static final String DIRECTORY_PERMISSIONS = "rwxr-xr-x";

    /**
     * Gives {@code tmp} the permissions of the file it will replace, or {@code fallback} for a new
     * one; a no-op on file systems without POSIX permissions.
     */
    public static void setPermissions(Path tmp, Path target, String fallback) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
        Set<PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString(fallback);
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** Renames {@code from} over {@code to}, atomically where supported. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
