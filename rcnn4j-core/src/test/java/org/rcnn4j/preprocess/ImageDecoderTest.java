package org.rcnn4j.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.io.BadInputException;

class ImageDecoderTest {
    @TempDir
    Path dir;

    /** PNG IHDR colour type byte: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
    private static int pngColorType(byte[] png) {
        return png[25];
    }

    @Test
    void rgbPngDecodesExactly() {
        BufferedImage src = TestImages.rgbPattern(13, 9);
        RgbImage img = ImageDecoder.decode(TestImages.write(dir.resolve("a.png"), src, "png"));
        assertEquals(13, img.width());
        assertEquals(9, img.height());
        for (int y = 0; y < 9; y++) for (int x = 0; x < 13; x++) assertEquals(src.getRGB(x, y) & 0xFFFFFF, img.rgb(x, y));
    }

    @Test
    void grayPngReplicatesSamplesWithoutGamma() {
        byte[] png = TestImages.encode(TestImages.gray(10, 4), "png");
        assertEquals(0, pngColorType(png));
        RgbImage img = ImageDecoder.decode(TestImages.write(dir.resolve("g.png"), png));
        // Sample 3*16+2 = 50 must stay 50 in all channels (getRGB's linear-gray conversion would give ~124).
        for (int c = 0; c < 3; c++) assertEquals(50, img.get(3, 2, c));
        for (int c = 0; c < 3; c++) assertEquals((9 * 16 + 3) & 0xFF, img.get(9, 3, c));
    }

    @Test
    void grayAlphaPngCompositesOnBlack() {
        byte[] png = TestImages.encode(TestImages.grayAlpha(4, 2), "png");
        assertEquals(4, pngColorType(png));
        RgbImage img = ImageDecoder.decode(png, null);
        for (int c = 0; c < 3; c++) {
            assertEquals(0, img.get(0, 1, c));        // transparent → black
            assertEquals(200, img.get(1, 1, c));      // opaque → itself
            assertEquals(40, img.get(2, 0, c));       // 200 * 51 / 255 = 40
        }
    }

    @Test
    void rgbaPngCompositesOnBlack() {
        byte[] png = TestImages.encode(TestImages.rgba(3, 2), "png");
        assertEquals(6, pngColorType(png));
        RgbImage img = ImageDecoder.decode(png, null);
        assertEquals(0x000000, img.rgb(0, 0));
        assertEquals(100 << 16 | 150 << 8 | 250, img.rgb(1, 0));
        // round(c * 128 / 255): 100 → 50, 150 → 75, 250 → 125
        assertEquals(50 << 16 | 75 << 8 | 125, img.rgb(2, 1));
    }

    @Test
    void sixteenBitGrayRoundsTo8Bits() {
        byte[] png = TestImages.encode(TestImages.gray16(20, 2), "png");
        assertEquals(16, png[24]); // IHDR bit depth
        RgbImage img = ImageDecoder.decode(png, null);
        for (int x = 0; x < 20; x++) for (int c = 0; c < 3; c++) assertEquals(x * 10, img.get(x, 1, c));
    }

    @Test
    void sixteenBitRgbPngRoundsTo8Bits() {
        byte[] png = TestImages.encode(TestImages.rgb16(12, 3), "png");
        assertEquals(16, png[24]); // IHDR bit depth
        assertEquals(2, pngColorType(png));
        RgbImage img = ImageDecoder.decode(png, null);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 12; x++) assertEquals((x * 10) << 16 | (y * 30) << 8 | (255 - x * 7), img.rgb(x, y));
        }
    }

    /** Adobe's inverted samples: ImageIO gives the inks 255 - s, then PIL's cmyk2rgb gives (255 - K) - C(255 - K)/255. */
    @Test
    void cmykJpegConvertsAsPilDoes() {
        int[] stored = {205, 155, 55, 230}; // inks C 50, M 100, Y 200, K 25
        Path file = TestImages.write(dir.resolve("print.jpg"), TestImages.cmykJpeg(16, 16, stored));
        RgbImage img = ImageDecoder.decode(file);
        int nk = 255 - 25;
        int[] expected = {nk - Math.round(50 * nk / 255f), nk - Math.round(100 * nk / 255f), nk - Math.round(200 * nk / 255f)};
        assertEquals(List.of(185, 140, 50), List.of(expected[0], expected[1], expected[2]));
        for (int c = 0; c < 3; c++) assertEquals(expected[c], img.get(7, 9, c), 3, "channel " + c);
    }

    @Test
    void aPngNamedJpgDecodesByItsContent() {
        BufferedImage src = TestImages.rgbPattern(9, 7);
        Path misnamed = TestImages.write(dir.resolve("photo.jpg"), TestImages.encode(src, "png"));
        RgbImage img = ImageDecoder.decode(misnamed);
        for (int y = 0; y < 7; y++) for (int x = 0; x < 9; x++) assertEquals(src.getRGB(x, y) & 0xFFFFFF, img.rgb(x, y));
    }

    /** A few hundred bytes declaring 10^10 pixels: refused from the header, naming the file and the declared size. */
    @Test
    void aDecompressionBombPngIsRefusedFromItsHeader() {
        byte[] png = TestImages.encode(TestImages.rgbPattern(8, 8), "png");
        Path bomb = TestImages.write(dir.resolve("bomb.png"), TestImages.declaring(png, 100_000, 100_000));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(bomb));
        assertEquals(bomb + ": declares 100000x100000 pixels, over the limit of 89478485 (a decompression bomb, or an image"
                + " to tile first)", e.getMessage());
        // 10^8 pixels: under what a byte array could hold, over PIL's limit, which rcnn4j keeps.
        e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(TestImages.declaring(png, 10_000, 10_000), bomb));
        assertTrue(e.getMessage().contains("declares 10000x10000 pixels"), e.getMessage());
        assertEquals(89_478_485L, ImageDecoder.MAX_PIXELS);
    }

    @Test
    void aDecompressionBombJpegIsRefusedFromItsHeader() {
        byte[] jpg = TestImages.encode(TestImages.rgbPattern(8, 8), "jpg");
        Path bomb = TestImages.write(dir.resolve("bomb.jpg"), TestImages.declaring(jpg, 60_000, 50_000));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(bomb));
        assertEquals(bomb.toString(), e.file());
        assertTrue(e.getMessage().contains("declares 60000x50000 pixels, over the limit of 89478485"), e.getMessage());
    }

    @Test
    void palettePngLooksUpColours() {
        byte[] png = TestImages.encode(TestImages.palette(8, 3), "png");
        assertEquals(3, pngColorType(png));
        RgbImage img = ImageDecoder.decode(png, null);
        assertEquals(0xFF0000, img.rgb(0, 0));
        assertEquals(0x00FF00, img.rgb(5, 2));
        assertEquals(0x0000FF, img.rgb(6, 1));
        assertEquals(0xFFFFFF, img.rgb(7, 0));
    }

    @Test
    void jpegDecodesToApproximateColours() {
        BufferedImage src = new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 24; y++) for (int x = 0; x < 32; x++) src.setRGB(x, y, x < 16 ? 0xC83214 : 0x1464C8);
        RgbImage img = ImageDecoder.decode(TestImages.write(dir.resolve("a.jpg"), src, "jpg"));
        assertEquals(32, img.width());
        assertEquals(24, img.height());
        assertEquals(0xC8, img.get(4, 4, 0), 6);
        assertEquals(0x32, img.get(4, 4, 1), 6);
        assertEquals(0xC8, img.get(28, 20, 2), 6);
        RgbImage gray = ImageDecoder.decode(TestImages.encode(TestImages.gray(16, 16), "jpg"), null);
        assertEquals(gray.get(5, 5, 0), gray.get(5, 5, 2));
    }

    @Test
    void truncatedPngIsRejected() {
        byte[] png = TestImages.encode(TestImages.rgbPattern(64, 64), "png");
        Path half = TestImages.write(dir.resolve("half.png"), TestImages.truncate(png, png.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(half));
        assertEquals(half.toString(), e.file());
        assertTrue(e.getMessage().contains("truncated PNG"), e.getMessage());
        // Only the 12-byte IEND chunk missing: ImageIO alone would decode this without complaint.
        byte[] noEnd = TestImages.truncate(png, png.length - 12);
        assertTrue(ImageIoAlone.decodes(noEnd));
        assertThrows(BadInputException.class, () -> ImageDecoder.decode(noEnd, null));
    }

    @Test
    void truncatedJpegIsRejected() {
        byte[] jpg = TestImages.encode(TestImages.rgbPattern(64, 64), "jpg");
        byte[] cut = TestImages.truncate(jpg, jpg.length * 2 / 3);
        // ImageIO alone returns a gray-filled picture for this (a warning only).
        assertTrue(ImageIoAlone.decodes(cut));
        Path file = TestImages.write(dir.resolve("cut.jpg"), cut);
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(file));
        assertEquals(file.toString(), e.file());
        assertTrue(e.getMessage().contains("truncated JPEG"), e.getMessage());
        assertThrows(BadInputException.class, () -> ImageDecoder.decode(TestImages.truncate(jpg, jpg.length - 2), null));
    }

    @Test
    void progressiveJpegPassesTheMarkerWalkAndItsTruncationDoesNot() throws Exception {
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(TestImages.rgbPattern(48, 40), null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpg = bytes.toByteArray();
        int scans = 0;
        for (int i = 0; i + 1 < jpg.length; i++) if ((jpg[i] & 0xFF) == 0xFF && (jpg[i + 1] & 0xFF) == 0xDA) scans++;
        assertTrue(scans > 1, "progressive: several scans, got " + scans);
        assertEquals(48, ImageDecoder.decode(jpg, null).width());
        assertThrows(BadInputException.class, () -> ImageDecoder.decode(TestImages.truncate(jpg, jpg.length * 3 / 4), null));
    }

    @Test
    void bytesAfterJpegEndAreTolerated() {
        byte[] jpg = TestImages.encode(TestImages.rgbPattern(16, 16), "jpg");
        byte[] padded = java.util.Arrays.copyOf(jpg, jpg.length + 5);
        assertEquals(16, ImageDecoder.decode(padded, null).width());
        assertNull(ImageFileCheck.jpegProblem(jpg));
    }

    @Test
    void corruptPngDataIsRejected() {
        byte[] png = TestImages.encode(TestImages.rgbPattern(16, 16), "png");
        int idat = indexOf(png, "IDAT".getBytes()) + 4;
        png[idat] = 0x01; // break the zlib header: framing intact, data undecodable
        png[idat + 1] = 0x02;
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(png, Path.of("x.png")));
        assertTrue(e.getMessage().startsWith("x.png: cannot decode image"), e.getMessage());
    }

    @Test
    void missingEmptyAndNonImageFilesGiveOneLine() throws Exception {
        Path missing = dir.resolve("nope.png");
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(missing));
        assertEquals(missing + ": image file not found", e.getMessage());
        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertTrue(assertThrows(BadInputException.class, () -> ImageDecoder.decode(empty)).getMessage().contains("empty file"));
        Path text = Files.writeString(dir.resolve("notes.jpg"), "hello, not a picture\n");
        e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(text));
        assertEquals(text + ": not an image file (expected PNG or JPEG)", e.getMessage());
        assertThrows(BadInputException.class, () -> ImageDecoder.decode(dir));
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Whether plain {@code ImageIO.read} returns a picture, showing what the decoder's own checks add. */
    private static final class ImageIoAlone {
        static boolean decodes(byte[] bytes) {
            try {
                return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes)) != null;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }
}
