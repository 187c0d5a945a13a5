package org.rcnn4j.visualize;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Draws detections on an image: a box outline per detection in its class's colour and a label
 * such as {@code "dress 0.93"} on a filled background of the same colour.
 *
 * <p>Boxes use rcnn4j's continuous convention: box {@code x1 y1 x2 y2} covers pixel columns
 * {@code floor(x1) .. ceil(x2) - 1}; the outline is drawn inside those pixels, clipped to the image.
 * The line width grows with the image ({@link #lineWidth}), labels sit above the box when there is
 * room and are always kept inside the image. Detections are drawn in increasing score order so the
 * most confident ones end up on top. Colours depend only on the class index ({@link #colorOf}).
 */
public final class BoxPainter {
    private final List<String> names;
    private final Map<Integer, Integer> classIndexById = new HashMap<>();

    /** @param categories the categories in class order: class index {@code i + 1} is {@code categories.get(i)} */
    public BoxPainter(List<Category> categories) {
        List<String> n = new ArrayList<>(categories.size());
        for (int i = 0; i < categories.size(); i++) {
            n.add(categories.get(i).name());
            classIndexById.put(categories.get(i).id(), i + 1);
        }
        this.names = List.copyOf(n);
    }

    /** A painter for a dataset's categories and class indices. */
    public static BoxPainter forDataset(Dataset dataset) {
        return new BoxPainter(dataset.categories());
    }

    /** A painter for class names in class order; category ids are taken to be the class indices 1..K. */
    public static BoxPainter ofNames(String... classNames) {
        List<Category> categories = new ArrayList<>(classNames.length);
        for (int i = 0; i < classNames.length; i++) categories.add(new Category(i + 1, classNames[i]));
        return new BoxPainter(categories);
    }

    /**
     * The colour of class index {@code k} as {@code 0xRRGGBB}: hues a golden-ratio turn apart, so
     * neighbouring classes differ strongly and the colour never depends on what else is drawn.
     */
    public static int colorOf(int classIndex) {
        float hue = (float) (((classIndex - 1) * 0.6180339887498949) % 1.0);
        if (hue < 0) hue += 1f;
        return Color.HSBtoRGB(hue, 0.85f, 0.95f) & 0xFFFFFF;
    }

    /** Outline thickness for a {@code width × height} image: about 1/250 of the longer side, at least 2 px. */
    public static int lineWidth(int width, int height) {
        return (int) Math.max(2, Math.round(Math.max(width, height) / 250.0));
    }

    /**
     * Draws detections given with the dataset's category ids.
     *
     * @throws IllegalArgumentException for a category this painter does not know
     */
    public BufferedImage draw(RgbImage image, List<Detection> detections) {
        int r = detections.size();
        float[] boxes = new float[4 * r];
        int[] classes = new int[r];
        float[] scores = new float[r];
        for (int i = 0; i < r; i++) {
            Detection d = detections.get(i);
            Integer k = classIndexById.get(d.categoryId());
            if (k == null) throw new IllegalArgumentException("unknown category id " + d.categoryId());
            boxes[4 * i] = d.x1();
            boxes[4 * i + 1] = d.y1();
            boxes[4 * i + 2] = d.x2();
            boxes[4 * i + 3] = d.y2();
            classes[i] = k;
            scores[i] = d.score();
        }
        return draw(image, boxes, classes, scores);
    }

    /**
     * Draws R boxes.
     *
     * @param boxes   R×4 {@code x1 y1 x2 y2} in the image's pixels, flattened
     * @param classes R class indices 1..K
     * @param scores  R scores, shown with two decimals; null to show class names only
     * @return a new RGB image the size of {@code image}
     */
    public BufferedImage draw(RgbImage image, float[] boxes, int[] classes, float[] scores) {
        int r = classes.length;
        if (boxes.length != 4 * r || (scores != null && scores.length != r)) {
            throw new IllegalArgumentException("need R x 4 boxes and R scores for R = " + r + " classes");
        }
        BufferedImage out = toIntRgb(image);
        Integer[] order = new Integer[r];
        for (int i = 0; i < r; i++) order[i] = i;
        if (scores != null) java.util.Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        Graphics2D g = out.createGraphics();
        try {
            int t = lineWidth(out.getWidth(), out.getHeight());
            for (int i : order) drawOutline(g, out, boxes, i, classes[i], t);
            int fontSize = (int) Math.max(10, Math.round(Math.max(out.getWidth(), out.getHeight()) / 50.0));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i : order) {
                String label = label(classes[i]) + (scores == null ? "" : String.format(Locale.ROOT, " %.2f", scores[i]));
                drawLabel(g, out, boxes, i, classes[i], label);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Decodes {@code imageFile}, draws the detections and writes a PNG to {@code outPng} atomically. */
    public void drawToPng(Path imageFile, List<Detection> detections, Path outPng) throws IOException {
        writePng(draw(ImageDecoder.decode(imageFile), detections), outPng);
    }

    /** Writes an image as PNG through a temporary file and a rename ({@link AtomicFiles}). */
    public static void writePng(BufferedImage image, Path outPng) throws IOException {
        AtomicFiles.write(outPng, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer for image type " + image.getType());
        });
    }

    private String label(int classIndex) {
        return classIndex >= 1 && classIndex <= names.size() ? names.get(classIndex - 1) : "class " + classIndex;
    }

    private static BufferedImage toIntRgb(RgbImage image) {
        int w = image.width(), h = image.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) row[x] = image.rgb(x, y);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Pixel bounds {@code {left, top, right, bottom}} (inclusive) of box {@code i} clipped to the image, or null when outside. */
    private static int[] pixelBounds(BufferedImage img, float[] boxes, int i) {
        float x1 = boxes[4 * i], y1 = boxes[4 * i + 1], x2 = boxes[4 * i + 2], y2 = boxes[4 * i + 3];
        if (!(Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(x2) && Float.isFinite(y2))) return null;
        int left = Math.max(0, (int) Math.floor(x1)), top = Math.max(0, (int) Math.floor(y1));
        int right = Math.min(img.getWidth() - 1, (int) Math.ceil(x2) - 1);
        int bottom = Math.min(img.getHeight() - 1, (int) Math.ceil(y2) - 1);
        return right < left || bottom < top ? null : new int[] {left, top, right, bottom};
    }

    private static void drawOutline(Graphics2D g, BufferedImage img, float[] boxes, int i, int classIndex, int t) {
        int[] b = pixelBounds(img, boxes, i);
        if (b == null) return;
        int w = b[2] - b[0] + 1, h = b[3] - b[1] + 1;
        g.setColor(new Color(colorOf(classIndex)));
        g.fillRect(b[0], b[1], w, Math.min(t, h));
        g.fillRect(b[0], Math.max(b[1], b[3] - t + 1), w, Math.min(t, h));
        g.fillRect(b[0], b[1], Math.min(t, w), h);
        g.fillRect(Math.max(b[0], b[2] - t + 1), b[1], Math.min(t, w), h);
    }

    private static void drawLabel(Graphics2D g, BufferedImage img, float[] boxes, int i, int classIndex, String text) {
        int[] b = pixelBounds(img, boxes, i);
        if (b == null) return;
        FontMetrics fm = g.getFontMetrics();
        int pad = Math.max(1, fm.getHeight() / 8);
        int lw = fm.stringWidth(text) + 2 * pad, lh = fm.getAscent() + fm.getDescent() + pad;
        int x = Math.max(0, Math.min(b[0], img.getWidth() - lw));
        // Above the box when it fits, else just inside its top edge; never outside the image.
        int y = b[1] - lh >= 0 ? b[1] - lh : b[1];
        y = Math.max(0, Math.min(y, img.getHeight() - lh));
        int rgb = colorOf(classIndex);
        g.setColor(new Color(rgb));
        g.fillRect(x, y, lw, lh);
        double luminance = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
        g.setColor(luminance > 150 ? Color.BLACK : Color.WHITE);
        g.drawString(text, x + pad, y + pad / 2 + fm.getAscent());
    }
}
