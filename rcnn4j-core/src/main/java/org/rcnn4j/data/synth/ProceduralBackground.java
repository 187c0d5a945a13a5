package org.rcnn4j.data.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/**
 * Backgrounds with no objects in them: a linear colour gradient, smooth value noise in brightness
 * and colour, and thin open clutter strokes (curves and segments, never closed figures, so no
 * stroke looks like a class). Luminance is kept in the mid range so objects can contrast with it.
 */
final class ProceduralBackground {
    private ProceduralBackground() {}

    /** A fresh {@code size x size} {@link BufferedImage#TYPE_INT_RGB} background. */
    static BufferedImage render(SplittableRandom rng, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = pixels(img);
        float[] c0 = randomColour(rng, 60, 200);
        float[] c1 = randomColour(rng, 60, 200);
        double angle = rng.nextDouble() * 2 * Math.PI;
        float[] coarse = ValueNoise.field(rng, size, Math.max(4, size / 3));
        float[] fine = ValueNoise.field(rng, size, Math.max(3, size / 10));
        float[][] chroma = new float[3][];
        for (int ch = 0; ch < 3; ch++) chroma[ch] = ValueNoise.field(rng, size, Math.max(4, size / 5));
        double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle), half = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                float t = (float) Math.max(0, Math.min(1, ((x - half) * cos + (y - half) * sin) / size + 0.5));
                float lum = 28f * coarse[i] + 14f * fine[i];
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) {
                    float v = c0[ch] + (c1[ch] - c0[ch]) * t + lum + 14f * chroma[ch][i];
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, Math.round(v)));
                }
                px[i] = rgb;
            }
        }
        drawClutter(img, rng, size);
        return img;
    }

    /** Open strokes 1-3 px wide: long curves across the image and short segments. */
    private static void drawClutter(BufferedImage img, SplittableRandom rng, int size) {
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int strokes = 2 + rng.nextInt(1 + size / 20);
            for (int s = 0; s < strokes; s++) {
                float[] c = randomColour(rng, 0, 255);
                int a = 90 + rng.nextInt(140);
                g.setColor(new Color(Math.round(c[0]), Math.round(c[1]), Math.round(c[2]), a));
                g.setStroke(new BasicStroke(1f + 2f * (float) rng.nextDouble(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                double x0 = rng.nextDouble() * size, y0 = rng.nextDouble() * size;
                double reach = size * (0.1 + 0.5 * rng.nextDouble());
                if (rng.nextInt(3) == 0) {
                    g.draw(new Line2D.Double(x0, y0, x0 + reach * (rng.nextDouble() - 0.5), y0 + reach * (rng.nextDouble() - 0.5)));
                } else {
                    g.draw(new CubicCurve2D.Double(x0, y0,
                            x0 + reach * (rng.nextDouble() - 0.5), y0 + reach * (rng.nextDouble() - 0.5),
                            x0 + reach * (rng.nextDouble() - 0.5), y0 + reach * (rng.nextDouble() - 0.5),
                            x0 + reach * (rng.nextDouble() - 0.5), y0 + reach * (rng.nextDouble() - 0.5)));
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** Adds uniform per-channel noise of amplitude {@code amp} (sensor noise) to every pixel. */
    static void addSensorNoise(BufferedImage img, SplittableRandom rng, int amp) {
        int[] px = pixels(img);
        for (int i = 0; i < px.length; i++) {
            int rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                int v = ((px[i] >> shift) & 0xFF) + rng.nextInt(2 * amp + 1) - amp;
                rgb |= Math.max(0, Math.min(255, v)) << shift;
            }
            px[i] = rgb;
        }
    }

    /** The pixel array behind a {@link BufferedImage#TYPE_INT_RGB} image (writes show in the image). */
    static int[] pixels(BufferedImage img) {
        return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    }

    /** Mean Rec. 601 luma of the pixels under a crop of the image. */
    static double meanLuma(int[] px, int size, Layer crop) {
        double sum = 0;
        for (int r = 0; r < crop.height(); r++) {
            for (int c = 0; c < crop.width(); c++) {
                sum += luma(px[(crop.y() + r) * size + crop.x() + c]);
            }
        }
        return sum / (crop.width() * (double) crop.height());
    }

    static double luma(int rgb) {
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }

    /**
     * A random colour whose luma differs from {@code backgroundLuma} by 70-130, on a random side
     * where there is room: hue and saturation are free (so colour says nothing about the class),
     * brightness keeps the object visible.
     */
    static int contrastingColour(SplittableRandom rng, double backgroundLuma) {
        return contrastingColour(rng, backgroundLuma, brighterSide(rng, backgroundLuma));
    }

    /** Whether an object over {@code backgroundLuma} should be brighter (room permitting, at random). */
    static boolean brighterSide(SplittableRandom rng, double backgroundLuma) {
        boolean roomUp = backgroundLuma + 70 <= 255;
        boolean roomDown = backgroundLuma - 70 >= 0;
        return roomUp && (!roomDown || rng.nextBoolean());
    }

    /** As {@link #contrastingColour(SplittableRandom, double)} on a given side of the background. */
    static int contrastingColour(SplittableRandom rng, double backgroundLuma, boolean brighter) {
        double delta = 70 + 60 * rng.nextDouble();
        double target = Math.max(0, Math.min(255, brighter ? backgroundLuma + delta : backgroundLuma - delta));
        float[] c = randomColour(rng, 0, 255);
        double shift = target - (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(c[ch] + shift)));
        return rgb;
    }

    private static float[] randomColour(SplittableRandom rng, int lo, int hi) {
        return new float[] {lo + rng.nextInt(hi - lo + 1), lo + rng.nextInt(hi - lo + 1), lo + rng.nextInt(hi - lo + 1)};
    }
}
