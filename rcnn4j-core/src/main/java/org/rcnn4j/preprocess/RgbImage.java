package org.rcnn4j.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * An 8-bit RGB image in memory: the common currency of decoding, resizing, flipping and drawing.
 *
 * <p>Layout: {@code pixels} holds {@code height × width × 3} bytes, row-major, interleaved
 * {@code R, G, B} (HWC), each an unsigned value 0..255 read with {@code & 0xFF}. Pixel
 * {@code (x, y)} starts at {@code (y * width + x) * 3}. In rcnn4j's continuous box convention pixel
 * column {@code x} spans {@code [x, x + 1)}.
 *
 * <p>Bytes rather than floats: a decoded image stays a quarter of the size while waiting in the
 * loader's prefetch queue, and {@link Normalize} turns bytes into floats through a lookup table.
 *
 * @param width  width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param pixels {@code height * width * 3} bytes, HWC RGB; not copied (treat as immutable once built)
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for "
                    + width + "x" + height + " RGB, got " + (pixels == null ? "null" : pixels.length));
        }
    }

    /** A black image. */
    public static RgbImage black(int width, int height) {
        return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel {@code (x, y)}, 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    /** Pixel {@code (x, y)} as {@code 0xRRGGBB}. */
    public int rgb(int x, int y) {
        int i = (y * width + x) * 3;
        return (pixels[i] & 0xFF) << 16 | (pixels[i + 1] & 0xFF) << 8 | (pixels[i + 2] & 0xFF);
    }

    /**
     * A {@link BufferedImage#TYPE_3BYTE_BGR} copy, for drawing and for writing with ImageIO.
     * The copy is a tight loop over the two byte arrays.
     */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i += 3) {
            bgr[i] = pixels[i + 2];
            bgr[i + 1] = pixels[i + 1];
            bgr[i + 2] = pixels[i];
        }
        return out;
    }
}
