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

    /** 16-bit RGB: (x * 10, y * 30, 255 - x * 7) as 8-bit values, each times 257 (so exact after rounding). */
    static BufferedImage rgb16(int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16},
                false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, x * 10 * 257);
                r.setSample(x, y, 1, y * 30 * 257);
                r.setSample(x, y, 2, (255 - x * 7) * 257);
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    /**
     * A CMYK JPEG as Adobe software writes one: an APP14 "Adobe" marker (transform 0: no colour
     * transform) and every pixel's four samples {@code stored} (Adobe stores ink amounts inverted).
     */
    static byte[] cmykJpeg(int w, int h, int... stored) {
        WritableRaster r = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setPixel(x, y, stored);
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(r, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] jpg = bytes.toByteArray();
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] withMarker = new byte[jpg.length + app14.length];
        System.arraycopy(jpg, 0, withMarker, 0, 2);
        System.arraycopy(app14, 0, withMarker, 2, app14.length);
        System.arraycopy(jpg, 2, withMarker, 2 + app14.length, jpg.length - 2);
        return withMarker;
    }

    /**
     * {@code image} (a PNG or a baseline JPEG) with its header declaring {@code w} x {@code h} pixels
     * and the rest unchanged: what a decompression bomb looks like to a decoder's header check.
     */
    static byte[] declaring(byte[] image, int w, int h) {
        byte[] b = image.clone();
        if (b[1] == 'P') { // PNG: IHDR's width and height, then its CRC over type and data
            java.nio.ByteBuffer.wrap(b, 16, 8).putInt(w).putInt(h);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(b, 12, 17);
            java.nio.ByteBuffer.wrap(b, 29, 4).putInt((int) crc.getValue());
            return b;
        }
        for (int i = 2; i + 9 < b.length; i++) { // JPEG: SOF0's height and width, 16 bits each
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                java.nio.ByteBuffer.wrap(b, i + 5, 4).putShort((short) h).putShort((short) w);
                return b;
            }
        }
        throw new IllegalArgumentException("neither a PNG nor a baseline JPEG");
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
