package org.rcnn4j.evaluation;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import org.rcnn4j.data.Detection;

/**
 * Streams a COCO results JSON, {@code [{"image_id", "category_id", "bbox": [x, y, w, h], "score"}]},
 * one detection at a time, so that a writer holding millions of detections never has them all in
 * memory (the Spark job writes its results this way). {@link ResultsWriter#writeCoco} writes through
 * it too: the bytes are the same either way, one row per line, numbers as {@link ResultsWriter}
 * describes.
 *
 * <p>The stream is left open on {@link #close()}, which ends the array.
 */
public final class CocoResultsWriter implements Closeable {
    private final JsonGenerator g;

    /** Starts the array on {@code out}. */
    public CocoResultsWriter(OutputStream out) throws IOException {
        this.g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out, JsonEncoding.UTF8);
        g.writeStartArray();
    }

    /**
     * Writes one row.
     *
     * @throws IllegalArgumentException when a coordinate or the score is not finite
     */
    public void write(Detection d) throws IOException {
        if (!(Float.isFinite(d.x1()) && Float.isFinite(d.y1()) && Float.isFinite(d.x2()) && Float.isFinite(d.y2())
                && Float.isFinite(d.score()))) {
            throw new IllegalArgumentException("detection on image " + d.imageId() + " has a non-finite value");
        }
        g.writeStartObject();
        g.writeNumberField("image_id", d.imageId());
        g.writeNumberField("category_id", d.categoryId());
        g.writeArrayFieldStart("bbox");
        g.writeNumber(ResultsWriter.plainFloat(d.x1()));
        g.writeNumber(ResultsWriter.plainFloat(d.y1()));
        g.writeNumber(ResultsWriter.extent(d.x1(), d.x2()));
        g.writeNumber(ResultsWriter.extent(d.y1(), d.y2()));
        g.writeEndArray();
        g.writeFieldName("score");
        g.writeNumber(ResultsWriter.plainFloat(d.score()));
        g.writeEndObject();
        g.writeRaw('\n');
    }

    /** Ends the array and flushes; the stream stays open. */
    @Override
    public void close() throws IOException {
        try (g) {
            g.writeEndArray();
            g.writeRaw('\n');
        }
    }
}
