package org.rcnn4j.visualize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Detection;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;

class BoxPainterTest {
    private static final List<Category> FASHION = List.of(new Category(11, "t-shirt"), new Category(12, "trouser"),
            new Category(13, "pullover"), new Category(14, "dress"));

    @TempDir
    Path dir;

    private static RgbImage grayBackground(int w, int h) {
        byte[] px = new byte[w * h * 3];
        java.util.Arrays.fill(px, (byte) 128);
        return new RgbImage(w, h, px);
    }

    @Test
    void writesPngWithClassColouredOutlines() throws Exception {
        BoxPainter painter = new BoxPainter(FASHION);
        List<Detection> dets = List.of(
                new Detection(1, 14, 40, 100, 140, 220, 0.93f),
                new Detection(1, 12, 200.5f, 150, 300, 310, 0.41f));
        Path out = dir.resolve("sub/out.png");
        BoxPainter.writePng(painter.draw(grayBackground(320, 320), dets), out);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList()); // no temporary file left beside it
        }
        BufferedImage png = ImageIO.read(out.toFile());
        assertEquals(320, png.getWidth());
        assertEquals(320, png.getHeight());
        int dress = BoxPainter.colorOf(4), trouser = BoxPainter.colorOf(2);
        int t = BoxPainter.lineWidth(320, 320);
        assertEquals(2, t);
        // Dress box [40, 140) x [100, 220): left edge columns 40..41, bottom rows 218..219, right column 139.
        assertEquals(dress, png.getRGB(40, 160) & 0xFFFFFF);
        assertEquals(dress, png.getRGB(41, 160) & 0xFFFFFF);
        assertEquals(dress, png.getRGB(90, 219) & 0xFFFFFF);
        assertEquals(dress, png.getRGB(139, 180) & 0xFFFFFF);
        assertEquals(0x808080, png.getRGB(42, 160) & 0xFFFFFF); // inside the outline: untouched
        assertEquals(0x808080, png.getRGB(39, 160) & 0xFFFFFF); // outside
        // Trouser box starts at x1 = 200.5: pixel column 200 is covered.
        assertEquals(trouser, png.getRGB(200, 250) & 0xFFFFFF);
        assertEquals(trouser, png.getRGB(299, 250) & 0xFFFFFF);
        assertEquals(0x808080, png.getRGB(300, 250) & 0xFFFFFF);
        // The label sits above the dress box: class-coloured background just above its top edge.
        assertEquals(dress, png.getRGB(41, 98) & 0xFFFFFF);
    }

    @Test
    void labelsStayInsideTheImageAndGrayInputWorks() throws Exception {
        // A gray PNG decoded through ImageDecoder; a box touching the top-right corner.
        BufferedImage gray = new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_GRAY);
        Path in = dir.resolve("gray.png");
        ImageIO.write(gray, "png", in.toFile());
        BoxPainter painter = BoxPainter.ofNames("ankle-boot");
        BufferedImage img = painter.draw(ImageDecoder.decode(in), new float[] {100, 0, 130, 20}, new int[] {1}, new float[] {0.5f});
        int colour = BoxPainter.colorOf(1);
        // The label could not go above the box nor right of x = 120: it is drawn inside, reaching the right border.
        assertEquals(colour, img.getRGB(119, 1) & 0xFFFFFF);
        int labelPixels = 0;
        for (int x = 0; x < 120; x++) if ((img.getRGB(x, 2) & 0xFFFFFF) != 0) labelPixels++;
        assertTrue(labelPixels > 40, "label wider than the 20-px box: " + labelPixels);
        assertEquals(0, img.getRGB(10, 80) & 0xFFFFFF); // background stays black (gray 0 as RGB)
    }

    @Test
    void coloursAreStableAndDistinct() {
        Set<Integer> seen = new HashSet<>();
        for (int k = 1; k <= 20; k++) {
            assertEquals(BoxPainter.colorOf(k), BoxPainter.colorOf(k));
            assertTrue(seen.add(BoxPainter.colorOf(k)));
        }
        assertNotEquals(BoxPainter.colorOf(1), BoxPainter.colorOf(2));
        assertEquals(2, BoxPainter.lineWidth(100, 50));
        assertEquals(4, BoxPainter.lineWidth(1000, 600));
    }

    @Test
    void rejectsUnknownCategoriesAndMismatchedArrays() {
        BoxPainter painter = new BoxPainter(FASHION);
        RgbImage img = grayBackground(10, 10);
        assertThrows(IllegalArgumentException.class, () -> painter.draw(img, List.of(new Detection(1, 99, 0, 0, 5, 5, 1f))));
        assertThrows(IllegalArgumentException.class, () -> painter.draw(img, new float[4], new int[2], null));
        // Boxes outside the image or non-finite are skipped, not errors; no detections is a plain copy.
        BufferedImage out = painter.draw(img, new float[] {50, 50, 60, 60, Float.NaN, 0, 3, 3}, new int[] {1, 2}, null);
        assertEquals(0x808080, out.getRGB(5, 5) & 0xFFFFFF);
        assertEquals(0x808080, painter.draw(img, List.of()).getRGB(0, 0) & 0xFFFFFF);
    }
}
