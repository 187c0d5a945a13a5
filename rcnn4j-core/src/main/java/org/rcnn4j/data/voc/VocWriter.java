package org.rcnn4j.data.voc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.AtomicFiles;

/**
 * Writes a {@link Dataset} as a Pascal VOC directory: {@code Annotations/<name>.xml} per image and
 * {@code ImageSets/Main/<split>.txt} listing the images' names in dataset order, each file atomically.
 * Image files are the caller's to place in {@code JPEGImages/}.
 *
 * <p>Boxes are written in VOC's 1-based inclusive pixels: {@code xmin = x1 + 1, ymin = y1 + 1,
 * xmax = x2, ymax = y2} (the inverse of {@link VocReader}); whole numbers without a fraction.
 * {@code <filename>} is the base name of {@link ImageRecord#fileName()}. The bytes depend on the
 * dataset alone.
 */
public final class VocWriter {
    private VocWriter() {}

    /**
     * Writes the annotation files and the split file of {@code dataset} under {@code dir}.
     *
     * @throws IllegalArgumentException when an image name cannot be a file name ({@code /}, {@code ..})
     *                                  or an annotation's category is not in the dataset
     */
    public static void write(Dataset dataset, Path dir, String split) throws IOException {
        for (ImageRecord im : dataset.images()) checkName(im.name());
        checkName(split);
        Map<Integer, String> names = dataset.categoryNames();
        for (ImageRecord im : dataset.images()) {
            AtomicFiles.writeString(dir.resolve("Annotations").resolve(im.name() + ".xml"), xml(im, names));
        }
        StringBuilder list = new StringBuilder();
        for (ImageRecord im : dataset.images()) list.append(im.name()).append('\n');
        AtomicFiles.writeString(VocSplit.file(dir, split), list.toString());
    }

    /** One image's annotation XML. */
    static String xml(ImageRecord im, Map<Integer, String> categoryNames) {
        StringBuilder sb = new StringBuilder(256 + 256 * im.annotations().size());
        sb.append("<annotation>\n");
        sb.append("  <folder>JPEGImages</folder>\n");
        element(sb, "  ", "filename", baseName(im.fileName()));
        sb.append("  <size>\n");
        element(sb, "    ", "width", Integer.toString(im.width()));
        element(sb, "    ", "height", Integer.toString(im.height()));
        element(sb, "    ", "depth", "3");
        sb.append("  </size>\n");
        for (Annotation a : im.annotations()) {
            String name = categoryNames.get(a.categoryId());
            if (name == null) {
                throw new IllegalArgumentException("image " + im.name() + ": unknown category id " + a.categoryId());
            }
            sb.append("  <object>\n");
            element(sb, "    ", "name", name);
            element(sb, "    ", "difficult", a.difficult() ? "1" : "0");
            sb.append("    <bndbox>\n");
            element(sb, "      ", "xmin", pixel(a.x1(), 1));
            element(sb, "      ", "ymin", pixel(a.y1(), 1));
            element(sb, "      ", "xmax", pixel(a.x2(), 0));
            element(sb, "      ", "ymax", pixel(a.y2(), 0));
            sb.append("    </bndbox>\n");
            sb.append("  </object>\n");
        }
        sb.append("</annotation>\n");
        return sb.toString();
    }

    private static void element(StringBuilder sb, String indent, String tag, String text) {
        sb.append(indent).append('<').append(tag).append('>');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.append(c);
            }
        }
        sb.append("</").append(tag).append(">\n");
    }

    /**
     * {@code coordinate + offset} as VOC text that reads back ({@code (float) (value - offset)}) to
     * {@code coordinate} exactly: {@code 48} for whole numbers, else the short float form when it
     * reads back, else the exact double form.
     */
    static String pixel(float coordinate, int offset) {
        double v = (double) coordinate + offset;
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && (float) (v - offset) == coordinate) {
            return Long.toString((long) v);
        }
        String shortForm = Float.toString((float) v);
        if ((float) (Double.parseDouble(shortForm) - offset) == coordinate) return shortForm;
        return Double.toString(v);
    }

    private static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(slash + 1);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("not usable as a VOC file name: '" + name + "'");
        }
    }
}
