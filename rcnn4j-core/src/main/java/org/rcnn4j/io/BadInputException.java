package org.rcnn4j.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;

/**
 * Input the user owns is malformed: a file, and the field or line in it, that rcnn4j cannot use.
 *
 * <p>The library throws this and never prints; the command line turns it into one line
 * ({@code file: where: what}) and exit code 2. Keep {@link #getMessage()} to one line a user can act
 * on: name the field as it is spelled in the file ({@code annotations[12].bbox}, {@code line 7},
 * {@code object[2]/bndbox/xmax}).
 */
public class BadInputException extends RuntimeException {
    private final String file;
    private final String where;
    private final String what;

    /**
     * @param file  the file (or directory) at fault, as the user named it
     * @param where the field, element path or line inside it; may be null when the whole file is at fault
     * @param what  what is wrong, in a few words
     */
    public BadInputException(Path file, String where, String what) {
        this(file == null ? null : file.toString(), where, what, null);
    }

    public BadInputException(Path file, String where, String what, Throwable cause) {
        this(file == null ? null : file.toString(), where, what, cause);
    }

    public BadInputException(String file, String where, String what, Throwable cause) {
        super(format(file, where, what), cause);
        this.file = file;
        this.where = where;
        this.what = what;
    }

    /**
     * A JSON file Jackson stopped in: {@code file: line L, column C: what: Jackson's message} (without
     * the source description Jackson appends to its own message).
     */
    public static BadInputException ofJson(Path file, String what, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new BadInputException(file, where, what + ": " + e.getOriginalMessage(), e);
    }

    private static String format(String file, String where, String what) {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file).append(": ");
        if (where != null && !where.isEmpty()) sb.append(where).append(": ");
        sb.append(what);
        return sb.toString().replace('\n', ' ');
    }

    /** The file at fault, or null. */
    public String file() {
        return file;
    }

    /** The field, element or line at fault, or null. */
    public String where() {
        return where;
    }

    /** What is wrong, without the file and field. */
    public String what() {
        return what;
    }
}
