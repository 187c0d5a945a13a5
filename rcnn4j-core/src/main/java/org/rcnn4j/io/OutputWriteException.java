package org.rcnn4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file could not be written (a full disk, a file-size limit, an I/O error), and nothing was
 * replaced: {@link AtomicFiles} writes through a temporary file, so the file of that name, if there
 * was one, is as it was. The message names the file and the system's reason in one line.
 */
public final class OutputWriteException extends IOException {
    private final Path file;

    /**
     * @param existed whether a file (or directory) of that name was there before, and so is unchanged
     * @param cause   the failure, whose innermost message is the system's reason
     */
    public OutputWriteException(Path file, boolean existed, IOException cause) {
        super(file + ": could not be written (" + reason(cause) + "); "
                + (existed ? "the previous " + file.getFileName() + " is unchanged" : "nothing was written"), cause);
        this.file = file;
    }

    /** The file that was to be written. */
    public Path file() {
        return file;
    }

    /** The innermost message: the system's reason ("No space left on device") under a library's wrapper. */
    private static String reason(Throwable t) {
        String reason = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) reason = c.getMessage();
        }
        return reason != null ? reason : t.getClass().getSimpleName();
    }
}
