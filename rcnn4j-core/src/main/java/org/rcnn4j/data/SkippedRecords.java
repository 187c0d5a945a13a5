package org.rcnn4j.data;

import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.io.BadInputException;

/**
 * The bad records a reader met: thrown at once under {@link ReadOptions#strict()}, counted (with
 * the first {@link #MAX_MESSAGES} messages kept) under {@link ReadOptions#skipping()}.
 */
public final class SkippedRecords {
    /** Messages kept; a file with a systematic fault would otherwise repeat one line a million times. */
    public static final int MAX_MESSAGES = 20;

    private final boolean skipBad;
    private final List<String> messages = new ArrayList<>();
    private int count;

    /** Bad records are thrown or counted as {@code options} say. */
    public SkippedRecords(ReadOptions options) {
        this.skipBad = options.skipBad();
    }

    /**
     * A bad record: throws {@code problem} when reading strictly, else counts it.
     *
     * @throws BadInputException {@code problem}, when reading strictly
     */
    public void report(BadInputException problem) {
        if (!skipBad) throw problem;
        count++;
        if (messages.size() < MAX_MESSAGES) messages.add(problem.getMessage());
    }

    /** Records skipped so far. */
    public int count() {
        return count;
    }

    /** The first {@link #MAX_MESSAGES} messages. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The result of a read that produced {@code dataset}. */
    public ReadResult result(Dataset dataset) {
        return new ReadResult(dataset, count, messages);
    }
}
