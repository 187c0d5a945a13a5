package org.rcnn4j.data.coco;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;

/**
 * Compact JSON with a line break between the top-level keys and between the records of the
 * top-level arrays: small files a person can read and diff, large files barely larger than compact.
 */
final class RecordPerLinePrinter extends MinimalPrettyPrinter {
    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(isTopLevel(g.getOutputContext()) ? ",\n" : ",");
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (isTopLevelArray(g.getOutputContext())) g.writeRaw('\n');
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(isTopLevelArray(g.getOutputContext()) ? ",\n" : ",");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        if (nrOfValues > 0 && isTopLevelArray(g.getOutputContext())) g.writeRaw('\n');
        g.writeRaw(']');
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        if (isTopLevel(g.getOutputContext())) g.writeRaw('\n');
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        if (isTopLevel(g.getOutputContext())) g.writeRaw('\n');
        g.writeRaw('}');
    }

    /** The context is the document's top-level object. */
    private static boolean isTopLevel(JsonStreamContext ctx) {
        return ctx.inObject() && ctx.getParent() != null && ctx.getParent().inRoot();
    }

    /** The context is an array that is a value of the top-level object ({@code "images": [...]}). */
    private static boolean isTopLevelArray(JsonStreamContext ctx) {
        return ctx.inArray() && ctx.getParent() != null && isTopLevel(ctx.getParent());
    }
}
