package org.rcnn4j.data.coco;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A COCO-shaped JSON file of any size for load tests: 640x480 images with COCO's extra image fields,
 * annotations with polygon segmentations, 80 categories with COCO's gaps in the ids. Every value is a
 * function of its index (seeded per index), so a test can recompute any annotation without the file.
 */
final class SyntheticCoco {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    /** COCO's 80 category ids 1..90: the ids COCO leaves out. */
    private static final int[] MISSING_IDS = {12, 26, 29, 30, 45, 66, 68, 69, 71, 83};

    final int images;
    final int annotations;
    final int polygonPoints;
    final long seed;

    SyntheticCoco(int images, int annotations, int polygonPoints, long seed) {
        this.images = images;
        this.annotations = annotations;
        this.polygonPoints = polygonPoints;
        this.seed = seed;
    }

    /** The category ids, ascending: 1..90 without COCO's 10 gaps. */
    static int[] categoryIds() {
        int[] ids = new int[80];
        int n = 0;
        outer:
        for (int id = 1; id <= 90; id++) {
            for (int m : MISSING_IDS) if (m == id) continue outer;
            ids[n++] = id;
        }
        return ids;
    }

    /** Image id of annotation {@code j}: scattered over the images (ids 1..images). */
    long imageOf(int j) {
        return 1 + (j * 7919L) % images;
    }

    int categoryOf(int j) {
        return categoryIds()[(int) ((j * 31L + 7) % 80)];
    }

    /** Annotation {@code j}'s {@code [x, y, w, h]}, with two decimals, inside the image. */
    double[] bbox(int j) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + j);
        double w = r.nextInt(100, 30000) / 100.0;
        double h = r.nextInt(100, 30000) / 100.0;
        double x = r.nextInt(0, (int) ((WIDTH - w) * 100)) / 100.0;
        double y = r.nextInt(0, (int) ((HEIGHT - h) * 100)) / 100.0;
        return new double[] {x, y, w, h};
    }

    /** Writes the file, annotations before images when {@code annotationsFirst}. */
    void write(Path file, boolean annotationsFirst) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            StringBuilder sb = new StringBuilder(1 << 16);
            sb.append("{\"info\":{\"description\":\"synthetic\",\"year\":2017},\"licenses\":[{\"id\":1,\"name\":\"x\"}],\n");
            if (annotationsFirst) {
                writeAnnotations(sb, out);
                sb.append(",\n");
                writeImages(sb, out);
            } else {
                writeImages(sb, out);
                sb.append(",\n");
                writeAnnotations(sb, out);
            }
            sb.append(",\n\"categories\":[");
            int[] ids = categoryIds();
            for (int k = 0; k < ids.length; k++) {
                if (k > 0) sb.append(',');
                sb.append("{\"supercategory\":\"thing\",\"id\":").append(ids[k]).append(",\"name\":\"class")
                        .append(ids[k]).append("\"}");
            }
            sb.append("]}\n");
            flush(sb, out);
        }
    }

    private void writeImages(StringBuilder sb, OutputStream out) throws IOException {
        sb.append("\"images\":[");
        for (int i = 1; i <= images; i++) {
            if (i > 1) sb.append(",\n");
            sb.append("{\"license\":3,\"file_name\":\"").append(fileName(i)).append("\",\"coco_url\":\"http://x/")
                    .append(fileName(i)).append("\",\"height\":").append(HEIGHT).append(",\"width\":").append(WIDTH)
                    .append(",\"date_captured\":\"2013-11-14 11:18:45\",\"id\":").append(i).append('}');
            if (sb.length() > 60_000) flush(sb, out);
        }
        sb.append(']');
    }

    private void writeAnnotations(StringBuilder sb, OutputStream out) throws IOException {
        sb.append("\"annotations\":[");
        SplittableRandom poly = new SplittableRandom(seed);
        for (int j = 0; j < annotations; j++) {
            if (j > 0) sb.append(",\n");
            double[] b = bbox(j);
            sb.append("{\"segmentation\":[[");
            for (int p = 0; p < 2 * polygonPoints; p++) {
                if (p > 0) sb.append(',');
                int v = poly.nextInt(0, 48000);
                sb.append(v / 100).append('.').append(v % 100);
            }
            sb.append("]],\"area\":").append(b[2] * b[3] * 0.75).append(",\"iscrowd\":").append(j % 97 == 0 ? 1 : 0)
                    .append(",\"image_id\":").append(imageOf(j)).append(",\"bbox\":[").append(b[0]).append(',')
                    .append(b[1]).append(',').append(b[2]).append(',').append(b[3]).append("],\"category_id\":")
                    .append(categoryOf(j)).append(",\"id\":").append(j + 1L).append('}');
            if (sb.length() > 60_000) flush(sb, out);
        }
        sb.append(']');
    }

    static String fileName(long id) {
        return String.format("%012d.jpg", id);
    }

    private static void flush(StringBuilder sb, OutputStream out) throws IOException {
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        sb.setLength(0);
    }
}
