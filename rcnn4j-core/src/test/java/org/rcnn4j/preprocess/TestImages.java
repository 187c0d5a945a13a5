package org.rcnn4j.preprocess;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Builds small images of every PNG colour type and writes them, for decoder and loader tests. */
final class TestImages {
    private TestImages() {}

    /** An RGB image whose pixel (x, y) is (x * 7 + y, y * 5 + 3 * x, x ^ y), all mod 256. */
    static BufferedImage rgbPattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7 + y) & 0xFF) << 16 | ((y * 5 + 3 * x) & 0xFF) << 8 | ((x ^ y) & 0xFF));
            }
        }
        return img;
    }

    /** 8-bit gray with sample (x * 16 + y) mod 256. */
    static BufferedImage gray(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, (x * 16 + y) & 0xFF);
        return img;
    }

    /** 8-bit gray + alpha: gray 200 everywhere, alpha = 0 in column 0, 255 in column 1, 51 elsewhere. */
    static BufferedImage grayAlpha(int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), new int[] {8, 8},
                true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, 200);
                r.setSample(x, y, 1, x == 0 ? 0 : x == 1 ? 255 : 51);
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    /** 16-bit gray with sample x * 257 * 10 (exactly 8-bit value x * 10 after rounding). */
    static BufferedImage gray16(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, x * 10 * 257);
        return img;
    }

    /** A 4-colour palette: index x % 4 → red, green, blue, white. */
    static BufferedImage palette(int w, int h) {
        byte[] red = {(byte) 255, 0, 0, (byte) 255};
        byte[] green = {0, (byte) 255, 0, (byte) 255};
        byte[] blue = {0, 0, (byte) 255, (byte) 255};
        IndexColorModel cm = new IndexColorModel(8, 4, red, green, blue);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, x % 4);
        return img;
    }

    /** RGBA: colour (100, 150, 250), alpha 0 / 255 / 128 in columns 0 / 1 / others. */
    static BufferedImage rgba(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = x == 0 ? 0 : x == 1 ? 255 : 128;
                img.setRGB(x, y, a << 24 | 100 << 16 | 150 << 8 | 250);
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) throw new IllegalStateException("no writer for " + format);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, BufferedImage img, String format) {
        return write(file, encode(img, format));
    }

    static byte[] truncate(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }
}
