package org.rcnn4j.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * Any {@link BufferedImage} that ImageIO produces → 8-bit {@link RgbImage}.
 *
 * <p>Rules: gray is replicated to R = G = B; 16-bit samples are rounded to 8 bits
 * ({@code round(v * 255 / 65535)}); palettes are looked up; alpha is composited on black
 * ({@code c' = round(c * a / 255)}, a fully transparent pixel becomes black, an opaque one keeps its
 * colour). Sample values are taken as they are: no colour management (ICC profiles, PNG gAMA) and,
 * in particular, no linear-gray → sRGB gamma, which {@code getRGB} would apply to gray images and
 * make them lighter than every other toolkit shows them.
 *
 * <p>CMYK (JPEGs from print workflows) is converted by PIL's rule, {@code R = (255 - K) - C(255 - K)/255}
 * (likewise G from M, B from Y), on the ink amounts ImageIO's JPEG reader gives: it reads the samples
 * as Adobe software stores them, inverted, as PIL does for files with Adobe's APP14 marker.
 */
final class RgbConversion {
    private RgbConversion() {}

    /**
     * @throws IllegalArgumentException for colour models other than gray, RGB, CMYK and palettes
     */
    static RgbImage toRgb(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel) {
            int type = cm.getColorSpace().getType();
            int nc = cm.getNumColorComponents();
            if (type == ColorSpace.TYPE_CMYK && nc == 4 && !cm.hasAlpha()) return fromCmyk(img);
            if (!((type == ColorSpace.TYPE_GRAY && nc == 1) || (type == ColorSpace.TYPE_RGB && nc == 3))) {
                throw new IllegalArgumentException("unsupported colour model (" + nc + " colour components, colour space type "
                        + type + "); expected gray, RGB or CMYK");
            }
            return isPlainBytes(img) ? fromInterleavedBytes(img) : fromComponents(img);
        }
        return fromArgb(img);
    }

    /** 8-bit samples in one byte array, not premultiplied: read the array directly. */
    private static boolean isPlainBytes(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm.isAlphaPremultiplied() || !(img.getRaster().getDataBuffer() instanceof DataBufferByte)) return false;
        if (!(img.getRaster().getSampleModel() instanceof ComponentSampleModel)) return false;
        for (int size : cm.getComponentSize()) {
            if (size != 8) return false;
        }
        return true;
    }

    private static RgbImage fromInterleavedBytes(BufferedImage img) {
        Raster r = img.getRaster();
        ComponentSampleModel sm = (ComponentSampleModel) r.getSampleModel();
        DataBufferByte db = (DataBufferByte) r.getDataBuffer();
        int w = img.getWidth(), h = img.getHeight();
        int nc = img.getColorModel().getNumColorComponents();
        boolean alpha = img.getColorModel().hasAlpha();
        int[] offsets = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        byte[][] data = new byte[offsets.length][];
        for (int b = 0; b < offsets.length; b++) data[b] = db.getData(banks[b]);
        int ps = sm.getPixelStride(), ss = sm.getScanlineStride();
        int x0 = r.getMinX() - r.getSampleModelTranslateX(), y0 = r.getMinY() - r.getSampleModelTranslateY();
        int base = db.getOffset() + y0 * ss + x0 * ps;
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * ss;
            for (int x = 0; x < w; x++, p += ps, o += 3) {
                int a = alpha ? data[nc][p + offsets[nc]] & 0xFF : 255;
                for (int c = 0; c < 3; c++) {
                    int band = nc == 1 ? 0 : c;
                    int v = data[band][p + offsets[band]] & 0xFF;
                    out[o + c] = (byte) (a == 255 ? v : (v * a + 127) / 255);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** 16-bit, premultiplied or otherwise unusual component layouts, one row at a time. */
    private static RgbImage fromComponents(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight();
        int nc = cm.getNumColorComponents(), nb = r.getNumBands();
        boolean alpha = cm.hasAlpha(), premultiplied = cm.isAlphaPremultiplied();
        double[] max = new double[nb];
        for (int b = 0; b < nb; b++) max[b] = (1L << cm.getComponentSize(b)) - 1;
        int[] row = new int[w * nb];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int p = x * nb;
                double a = alpha && !premultiplied ? row[p + nc] / max[nc] : 1.0;
                for (int c = 0; c < 3; c++) {
                    int band = nc == 1 ? 0 : c;
                    double v = row[p + band] / max[band] * a;
                    out[(y * w + x) * 3 + c] = (byte) Math.round(Math.min(1.0, v) * 255.0);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** CMYK ink amounts (any bit depth, scaled to 8 bits) → RGB by PIL's {@code cmyk2rgb}. */
    private static RgbImage fromCmyk(BufferedImage img) {
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight();
        ColorModel cm = img.getColorModel();
        double[] scale = new double[4];
        for (int b = 0; b < 4; b++) scale[b] = 255.0 / ((1L << cm.getComponentSize(b)) - 1);
        int[] row = new int[w * 4];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int nk = 255 - (int) Math.round(row[4 * x + 3] * scale[3]);
                for (int c = 0; c < 3; c++) {
                    int ink = (int) Math.round(row[4 * x + c] * scale[c]);
                    out[(y * w + x) * 3 + c] = (byte) (nk - mulDiv255(ink, nk));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** round(a * b / 255) for a, b in [0, 255], PIL's {@code MULDIV255}. */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return (t + (t >> 8)) >> 8;
    }

    /** Palettes and packed-int images: their sRGB ARGB values, one row at a time. */
    private static RgbImage fromArgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] row = new int[w];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int a = argb >>> 24;
                int o = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = (argb >> (16 - 8 * c)) & 0xFF;
                    out[o + c] = (byte) (a == 255 ? v : (v * a + 127) / 255);
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
