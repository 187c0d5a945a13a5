package org.rcnn4j.evaluation;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.AtomicFiles;

/**
 * Writes detections in the two results formats {@link ResultsReader} reads: a COCO results JSON
 * file, or one VOC devkit file {@code comp4_det_<split>_<class>.txt} per class. Files are written
 * atomically ({@link AtomicFiles}).
 *
 * <p>Numbers are written in the shortest plain decimal that reads back to the same float (through
 * the reader's own arithmetic, e.g. {@code x1 = xmin - 1}), so that writing then reading gives the
 * detections back bit for bit.
 */
public final class ResultsWriter {
    /** py-faster-rcnn's competition id: comp4 = trained on any data, detection task. */
    public static final String VOC_PREFIX = "comp4";

    private ResultsWriter() {}

    /**
     * Writes a COCO results file: {@code [{"image_id": <ImageRecord.id>, "category_id", "bbox": [x, y, w, h], "score"}]}.
     *
     * @param dets detections on images of {@code gt}, with finite values
     * @throws IllegalArgumentException on a detection whose image or category {@code gt} lacks, or a non-finite value
     */
    public static void writeCoco(List<Detection> dets, Dataset gt, Path json) throws IOException {
        for (int i = 0; i < dets.size(); i++) check(dets.get(i), i, gt);
        AtomicFiles.write(json, out -> generateCoco(dets, out));
    }

    /**
     * Writes the same COCO results JSON as {@link #writeCoco(List, Dataset, Path)} to a stream (an
     * HTTP response, for example), leaving the stream open.
     *
     * @throws IllegalArgumentException on a detection whose image or category {@code gt} lacks, or a non-finite value
     */
    public static void writeCoco(List<Detection> dets, Dataset gt, OutputStream out) throws IOException {
        for (int i = 0; i < dets.size(); i++) check(dets.get(i), i, gt);
        generateCoco(dets, out);
    }

    /** One row per line, so that a results file of many images stays readable and diffable. */
    private static void generateCoco(List<Detection> dets, OutputStream out) throws IOException {
        try (CocoResultsWriter w = new CocoResultsWriter(out)) {
            for (Detection d : dets) w.write(d);
        }
    }

    /**
     * Writes {@code dir/comp4_det_<split>_<class>.txt} for every class of {@code gt} (empty for a
     * class without detections, as py-faster-rcnn does), lines
     * {@code <image name> <score> <xmin> <ymin> <xmax> <ymax>} with VOC 1-based boxes
     * ({@code xmin = x1 + 1, xmax = x2}), in the order of {@code dets}.
     *
     * @throws IllegalArgumentException on a detection whose image or category {@code gt} lacks, a
     *                                  non-finite value, or an image name with whitespace
     */
    public static void writeVoc(List<Detection> dets, Dataset gt, Path dir, String split) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        for (int k = 0; k < gt.numClasses(); k++) lines.add(new ArrayList<>());
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            ImageRecord image = check(d, i, gt);
            if (image.name().isEmpty() || image.name().matches(".*\\s.*")) {
                throw new IllegalArgumentException("image name '" + image.name() + "' cannot be written in a VOC results line");
            }
            lines.get(gt.classIndex(d.categoryId()) - 1).add(image.name() + ' ' + plainFloat(d.score()) + ' '
                    + plusOne(d.x1()) + ' ' + plusOne(d.y1()) + ' ' + plainFloat(d.x2()) + ' ' + plainFloat(d.y2()));
        }
        for (int k = 1; k <= gt.numClasses(); k++) {
            String name = gt.categoryOfClass(k).name();
            if (name.contains("/") || name.contains("\\")) {
                throw new IllegalArgumentException("class name '" + name + "' cannot be a file name");
            }
            List<String> classLines = lines.get(k - 1);
            AtomicFiles.write(dir.resolve(VOC_PREFIX + "_det_" + split + "_" + name + ".txt"), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (String line : classLines) w.write(line + "\n");
                w.flush();
            });
        }
    }

    private static ImageRecord check(Detection d, int i, Dataset gt) {
        ImageRecord image = gt.image(d.imageId())
                .orElseThrow(() -> new IllegalArgumentException("detection " + i + " is on unknown image id " + d.imageId()));
        if (gt.classIndex(d.categoryId()) < 0) {
            throw new IllegalArgumentException("detection " + i + " has unknown category id " + d.categoryId());
        }
        float[] v = {d.x1(), d.y1(), d.x2(), d.y2(), d.score()};
        for (float x : v) {
            if (!Float.isFinite(x)) throw new IllegalArgumentException("detection " + i + " has a non-finite value");
        }
        return image;
    }

    /** A float as the reader reads it back: {@code (float) value}. */
    static String plainFloat(float v) {
        return shortest(v, v, text -> (float) Double.parseDouble(text) == v);
    }

    /** VOC's {@code xmin} for a continuous {@code x1}: the reader computes {@code x1 = (float) (xmin - 1)}. */
    private static String plusOne(float x1) {
        return shortest(x1 + 1f, (double) x1 + 1.0, text -> (float) (Double.parseDouble(text) - 1.0) == x1);
    }

    /** COCO's width for {@code x1..x2}: the reader computes {@code x2 = (float) ((double) x1 + w)}. */
    static String extent(float x1, float x2) {
        return shortest(x2 - x1, (double) x2 - x1, text -> (float) ((double) x1 + Double.parseDouble(text)) == x2);
    }

    /**
     * The plain decimal of {@code candidate} (a float's shortest text) when {@code readsBack} accepts
     * it, else that of {@code exact} (a double, whose text reads back exactly).
     */
    private static String shortest(float candidate, double exact, Predicate<String> readsBack) {
        String text = plain(Float.toString(candidate));
        return readsBack.test(text) ? text : plain(Double.toString(exact));
    }

    /** Java's number text without exponent or trailing zeros: {@code 1.0E-5} → {@code 0.00001}, {@code 13.0} → {@code 13}. */
    private static String plain(String javaText) {
        return new BigDecimal(javaText).stripTrailingZeros().toPlainString();
    }
}
