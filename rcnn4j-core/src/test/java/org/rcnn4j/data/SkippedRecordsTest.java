package org.rcnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rcnn4j.io.BadInputException;

class SkippedRecordsTest {
    @Test
    void strictThrowsTheProblemItself() {
        BadInputException problem = new BadInputException(Path.of("f"), "x", "bad");
        SkippedRecords s = new SkippedRecords(ReadOptions.strict());
        assertSame(problem, assertThrows(BadInputException.class, () -> s.report(problem)));
    }

    @Test
    void skippingCountsAllAndKeepsTheFirstMessages() {
        SkippedRecords s = new SkippedRecords(ReadOptions.skipping());
        for (int i = 0; i < 30; i++) s.report(new BadInputException(Path.of("f"), "r" + i, "bad"));
        ReadResult r = s.result(null);
        assertEquals(30, r.skipped());
        assertEquals(SkippedRecords.MAX_MESSAGES, r.skippedMessages().size());
        assertEquals("f: r0: bad", r.skippedMessages().get(0));
        assertEquals("f: r19: bad", r.skippedMessages().get(19));
    }
}
