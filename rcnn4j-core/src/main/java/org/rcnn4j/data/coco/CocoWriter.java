package org.rcnn4j.data.coco;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.AtomicFiles;

/**
 * Writes a {@link Dataset} as a COCO instances JSON file that {@link CocoReader} and the COCO API
 * read: {@code info}, {@code licenses}, {@code images}, {@code annotations}, {@code categories},
 * one record per line.
 *
 * <p>The bytes depend on the dataset alone (no dates, fixed field order, images and annotations in
 * dataset order, categories in class order), and the file is written atomically. Boxes are written
 * as {@code [x, y, w, h]} with {@code x = x1}, {@code w = x2 - x1}, in the shortest decimal form that
 * reads back to the same float box. Annotation ids are kept when they are positive and unique, else
 * renumbered 1..A in order. {@code difficult: 1} is written for VOC's difficult objects (an rcnn4j
 * extension the COCO API ignores).
 */
public final class CocoWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CocoWriter() {}

    /** Writes {@code dataset} to {@code json}, atomically. */
    public static void write(Dataset dataset, Path json) throws IOException {
        AtomicFiles.write(json, out -> writeTo(dataset, out));
    }

    /** Writes {@code dataset} as COCO JSON to a stream (left open). */
    public static void writeTo(Dataset dataset, OutputStream out) throws IOException {
        boolean keepIds = idsUsable(dataset);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new RecordPerLinePrinter());
            g.writeStartObject();
            g.writeObjectFieldStart("info");
            g.writeStringField("description", "written by rcnn4j");
            g.writeEndObject();
            g.writeArrayFieldStart("licenses");
            g.writeEndArray();
            g.writeArrayFieldStart("images");
            for (ImageRecord im : dataset.images()) {
                g.writeStartObject();
                g.writeNumberField("id", im.id());
                g.writeStringField("file_name", im.fileName());
                g.writeNumberField("width", im.width());
                g.writeNumberField("height", im.height());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("annotations");
            long next = 1;
            for (ImageRecord im : dataset.images()) {
                for (Annotation a : im.annotations()) {
                    writeAnnotation(g, a, keepIds ? a.id() : next, im.id());
                    next++;
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (Category c : dataset.categories()) {
                g.writeStartObject();
                g.writeNumberField("id", c.id());
                g.writeStringField("name", c.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeAnnotation(JsonGenerator g, Annotation a, long id, long imageId) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", id);
        g.writeNumberField("image_id", imageId);
        g.writeNumberField("category_id", a.categoryId());
        g.writeArrayFieldStart("bbox");
        String[] x = extent(a.x1(), a.x2());
        String[] y = extent(a.y1(), a.y2());
        g.writeNumber(x[0]);
        g.writeNumber(y[0]);
        g.writeNumber(x[1]);
        g.writeNumber(y[1]);
        g.writeEndArray();
        g.writeNumberField("area", a.area());
        g.writeNumberField("iscrowd", a.crowd() ? 1 : 0);
        if (a.difficult()) g.writeNumberField("difficult", 1);
        g.writeEndObject();
    }

    /**
     * {@code {start, length}} as decimal text such that the reader's {@code (float) (start + length)},
     * computed in double, gives back {@code hi} exactly: the short float forms when they do, else
     * exact double forms.
     */
    static String[] extent(float lo, float hi) {
        String start = Float.toString(lo);
        String length = Float.toString(hi - lo);
        if (readsBack(start, length, lo, hi)) return new String[] {start, length};
        length = Double.toString((double) hi - Double.parseDouble(start));
        if (readsBack(start, length, lo, hi)) return new String[] {start, length};
        return new String[] {Double.toString(lo), Double.toString((double) hi - (double) lo)};
    }

    private static boolean readsBack(String start, String length, float lo, float hi) {
        double s = Double.parseDouble(start);
        return (float) s == lo && (float) (s + Double.parseDouble(length)) == hi;
    }

    /** Annotation ids can be written as they are: all positive and no two alike. */
    private static boolean idsUsable(Dataset dataset) {
        Set<Long> seen = new HashSet<>();
        for (ImageRecord im : dataset.images()) {
            for (Annotation a : im.annotations()) {
                if (a.id() <= 0 || !seen.add(a.id())) return false;
            }
        }
        return true;
    }
}
