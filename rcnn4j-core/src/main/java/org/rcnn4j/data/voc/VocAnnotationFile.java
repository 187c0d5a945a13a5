package org.rcnn4j.data.voc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rcnn4j.data.BoxBounds;
import org.rcnn4j.data.SkippedRecords;
import org.rcnn4j.io.BadInputException;

/**
 * The checked content of one VOC annotation file: image size, file name and objects, before class
 * names become category ids.
 *
 * <p>Boxes: VOC's {@code xmin..xmax} are 1-based inclusive pixel indices, so the continuous box is
 * {@code x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax} (a one-pixel box {@code xmin = xmax = 1}
 * is {@code [0, 1]}). Boxes up to 1 px outside the image are clipped ({@link BoxBounds}).
 */
record VocAnnotationFile(Path xml, String fileName, int width, int height, List<VocObject> objects) {
    /** One checked object; {@code where} names it for a later message. */
    record VocObject(String name, boolean difficult, float[] box, String where) {}

    private static final String[] BOX_FIELDS = {"xmin", "ymin", "xmax", "ymax"};

    /**
     * Checks a parsed file. A fault in the image size is thrown as the image's fault; a fault in an
     * object is reported to {@code skipped} and the object left out.
     *
     * @param stem the image's stem: the file name is {@code <filename>}, else {@code <stem>.jpg}
     * @throws BadInputException when the size is missing or not a positive whole number
     */
    static VocAnnotationFile check(Path xml, String stem, VocXml.Parsed parsed, SkippedRecords skipped) {
        Map<String, VocXml.Field> f = parsed.fields();
        int width = positiveInt(xml, f, "size/width");
        int height = positiveInt(xml, f, "size/height");
        VocXml.Field name = f.get("filename");
        String fileName = name != null && !name.text().isEmpty() ? name.text() : stem + ".jpg";
        List<VocObject> objects = new ArrayList<>(parsed.objects().size());
        for (int k = 0; k < parsed.objects().size(); k++) {
            try {
                objects.add(object(xml, parsed.objects().get(k), "object[" + (k + 1) + "]", width, height));
            } catch (BadInputException e) {
                skipped.report(e);
            }
        }
        return new VocAnnotationFile(xml, fileName, width, height, objects);
    }

    private static VocObject object(Path xml, VocXml.RawObject o, String path, int width, int height) {
        Map<String, VocXml.Field> f = o.fields();
        VocXml.Field name = f.get("name");
        if (name == null || name.text().isEmpty()) {
            throw new BadInputException(xml, "line " + o.line() + ", " + path + "/name", "missing");
        }
        boolean difficult = false;
        VocXml.Field d = f.get("difficult");
        if (d != null && !d.text().isEmpty()) {
            if (!d.text().equals("0") && !d.text().equals("1")) {
                throw new BadInputException(xml, where(d, path + "/difficult"), "expected 0 or 1, got '" + d.text() + "'");
            }
            difficult = d.text().equals("1");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            String field = "bndbox/" + BOX_FIELDS[i];
            VocXml.Field b = f.get(field);
            if (b == null) throw new BadInputException(xml, "line " + o.line() + ", " + path + "/" + field, "missing");
            v[i] = number(xml, b, path + "/" + field);
        }
        String where = "line " + o.line() + ", " + path + "/bndbox";
        float[] box;
        try {
            box = BoxBounds.checkAndClip(xml, where, v[0] - 1, v[1] - 1, v[2], v[3], width, height);
        } catch (BadInputException e) {
            // name the values as the file has them, not only the converted box
            throw new BadInputException(xml, where, "xmin " + f.get("bndbox/xmin").text() + ", ymin "
                    + f.get("bndbox/ymin").text() + ", xmax " + f.get("bndbox/xmax").text() + ", ymax "
                    + f.get("bndbox/ymax").text() + ": " + e.what());
        }
        return new VocObject(name.text(), difficult, box, "line " + o.line() + ", " + path + "/name");
    }

    private static int positiveInt(Path xml, Map<String, VocXml.Field> f, String key) {
        VocXml.Field field = f.get(key);
        if (field == null) throw new BadInputException(xml, key, "missing");
        double v = number(xml, field, key);
        if (v != Math.rint(v) || v <= 0 || v > Integer.MAX_VALUE) {
            throw new BadInputException(xml, where(field, key), "expected a positive whole number, got '" + field.text() + "'");
        }
        return (int) v;
    }

    private static double number(Path xml, VocXml.Field field, String path) {
        double v;
        try {
            v = Double.parseDouble(field.text());
        } catch (NumberFormatException e) {
            throw new BadInputException(xml, where(field, path), "not a number: '" + field.text() + "'");
        }
        if (!Double.isFinite(v)) throw new BadInputException(xml, where(field, path), "not a finite number: '" + field.text() + "'");
        return v;
    }

    private static String where(VocXml.Field field, String path) {
        return "line " + field.line() + ", " + path;
    }
}
