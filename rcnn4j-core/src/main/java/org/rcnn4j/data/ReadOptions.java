package org.rcnn4j.data;

/**
 * How a dataset reader treats bad records.
 *
 * <p>A record is one annotation, or one image together with its annotations. With
 * {@code skipBad} such a record is left out and counted in {@link ReadResult#skipped()}; without
 * it the first bad record throws {@link org.rcnn4j.io.BadInputException}. Files that are broken as a
 * whole (malformed JSON or XML, no images at all, duplicate category ids) fail either way.
 *
 * @param skipBad skip and count bad records instead of failing on the first
 */
public record ReadOptions(boolean skipBad) {
    /** Fail on the first bad record. */
    public static ReadOptions strict() {
        return new ReadOptions(false);
    }

    /**
     * Skip bad records and count them. (Not named {@code skipBad()}: Java forbids a static method
     * with the signature of the record's accessor.)
     */
    public static ReadOptions skipping() {
        return new ReadOptions(true);
    }
}
