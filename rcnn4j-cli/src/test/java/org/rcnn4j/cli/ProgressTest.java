package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** Progress taken over after the first unit does not divide that unit by the microseconds since. */
    @Test
    void unitsBeforeTheStartCountNeitherInTheRateNorTheEta() throws Exception {
        StringWriter text = new StringWriter();
        Progress p = new Progress(new PrintWriter(text, true), "validating", 60, "images", false).startingAt(1);
        p.advanceTo(1);
        String first = text.toString().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("validating 1/60 images (0.0 images/s, ETA ?,"), first);
        Thread.sleep(50);
        p.advanceTo(7); // the next decile: 6 images in about 50 ms
        String second = text.toString().lines().skip(1).findFirst().orElseThrow();
        double rate = Double.parseDouble(second.replaceAll(".*\\((\\S+) images/s.*", "$1"));
        assertTrue(rate > 10 && rate <= 6 / 0.05, second);
        p.advanceTo(60);
        assertEquals(3, text.toString().lines().count());
        assertTrue(text.toString().lines().reduce((a, b) -> b).orElseThrow().contains("ETA 0s"));
    }
}
