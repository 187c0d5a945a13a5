package org.rcnn4j.data;

import java.util.List;

/**
 * A dataset as read, with what had to be left out.
 *
 * @param dataset         the records that were good
 * @param skipped         number of records left out (annotations and images, each counted once);
 *                        always 0 under {@link ReadOptions#strict()}
 * @param skippedMessages one line per skipped record, naming file and field, the first
 *                        {@link SkippedRecords#MAX_MESSAGES} only
 */
public record ReadResult(Dataset dataset, int skipped, List<String> skippedMessages) {
    public ReadResult {
        skippedMessages = List.copyOf(skippedMessages);
    }
}
