package org.rcnn4j.data.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The families of backgrounds a {@code fashion} scene is drawn on. {@link #CLASSIC} is the
 * generator's original background ({@link ProceduralBackground#render}: gradient, value noise,
 * thin strokes); the others were added so that a detector cannot tell objects from background by
 * the background's look alone, and so that a family can be held out of training to measure how a
 * detector does on backgrounds it never saw:
 * <ul>
 *   <li>{@link #PERIODIC}: gratings, checkerboards, plaids and dot lattices at any angle and period;</li>
 *   <li>{@link #APERIODIC}: multi-octave fractal noise and marble veins;</li>
 *   <li>{@link #SHARP}: hard-edged fields of flat colour (overlapping rectangles, Voronoi cells, slanted bands);</li>
 *   <li>{@link #SMOOTH}: flat colour, radial and linear gradients, broad low-frequency blobs.</li>
 * </ul>
 * Every family but the classic one also scatters one or two kinds of non-object clutter
 * ({@link Clutter}). Luminance stays in the mid range (about 50..210) so that an object's colour
 * can contrast with what lies under it. Draws come from the image's stream only, and trigonometry
 * uses {@link StrictMath}, so the same seed gives the same bytes on every machine.
 */
public enum BackgroundFamily {
    CLASSIC {
        @Override
        BufferedImage render(SplittableRandom rng, int size) {
            return ProceduralBackground.render(rng, size);
        }
    },
    PERIODIC {
        @Override
        BufferedImage render(SplittableRandom rng, int size) {
            float[] c0 = colour(rng), c1 = colour(rng);
            double period = 6 + rng.nextDouble() * Math.max(6, size / 8.0);
            double angle = rng.nextDouble() * Math.PI;
            int pattern = rng.nextInt(4);
            double period2 = 6 + rng.nextDouble() * Math.max(6, size / 8.0);
            double angle2 = angle + Math.PI / 2 * (0.5 + rng.nextDouble());
            double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
            double cos2 = StrictMath.cos(angle2), sin2 = StrictMath.sin(angle2);
            float[] t = new float[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double u = (x * cos + y * sin) / period, v = (x * cos2 + y * sin2) / period2;
                    double w = switch (pattern) {
                        case 0 -> 0.5 + 0.5 * StrictMath.sin(2 * Math.PI * u);                        // sine grating
                        case 1 -> (Math.floorMod((long) Math.floor(u), 2) ^ Math.floorMod((long) Math.floor(v), 2)); // checks
                        case 2 -> 0.25 * (2 + StrictMath.sin(2 * Math.PI * u) + StrictMath.sin(2 * Math.PI * v)); // plaid
                        default -> dotLattice(u, v);
                    };
                    t[y * size + x] = (float) w;
                }
            }
            return finish(rng, size, mix(c0, c1, t, size));
        }
    },
    APERIODIC {
        @Override
        BufferedImage render(SplittableRandom rng, int size) {
            float[] c0 = colour(rng), c1 = colour(rng);
            float[] turbulence = fractal(rng, size, 4 + rng.nextInt(size / 6 + 1));
            float[] t = new float[size * size];
            if (rng.nextBoolean()) {
                for (int i = 0; i < t.length; i++) t[i] = 0.5f + 0.5f * turbulence[i];
            } else { // marble: a sine across the image, its phase bent by the turbulence
                double period = 12 + rng.nextDouble() * size / 4.0, angle = rng.nextDouble() * Math.PI;
                double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle), bend = 2 + 4 * rng.nextDouble();
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double u = (x * cos + y * sin) / period + bend * turbulence[y * size + x];
                        t[y * size + x] = (float) (0.5 + 0.5 * StrictMath.sin(2 * Math.PI * u));
                    }
                }
            }
            return finish(rng, size, mix(c0, c1, t, size));
        }
    },
    SHARP {
        @Override
        BufferedImage render(SplittableRandom rng, int size) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            int kind = rng.nextInt(3);
            if (kind == 2) {
                voronoi(rng, size, ProceduralBackground.pixels(img));
                return finish(rng, size, img);
            }
            Graphics2D g = img.createGraphics();
            try {
                g.setColor(awt(colour(rng), 255));
                g.fillRect(0, 0, size, size);
                if (kind == 0) { // overlapping axis-aligned rectangles of flat colour
                    int n = 8 + rng.nextInt(24);
                    for (int k = 0; k < n; k++) {
                        double w = size * (0.1 + 0.6 * rng.nextDouble()), h = size * (0.1 + 0.6 * rng.nextDouble());
                        g.setColor(awt(colour(rng), 255));
                        g.fill(new Rectangle2D.Double(rng.nextDouble() * size - w / 2, rng.nextDouble() * size - h / 2, w, h));
                    }
                } else { // bands of random widths at an angle, their edges slanted at random
                    double angle = rng.nextDouble() * Math.PI;
                    g.rotate(angle, size / 2.0, size / 2.0);
                    double x = -size;
                    while (x < 2 * size) {
                        double w = 8 + rng.nextDouble() * size / 4.0;
                        Path2D.Double band = new Path2D.Double();
                        double skew = (rng.nextDouble() - 0.5) * w;
                        band.moveTo(x, -size);
                        band.lineTo(x + w + skew, -size);
                        band.lineTo(x + w - skew, 2 * size);
                        band.lineTo(x, 2 * size);
                        band.closePath();
                        g.setColor(awt(colour(rng), 255));
                        g.fill(band);
                        x += w;
                    }
                }
            } finally {
                g.dispose();
            }
            return finish(rng, size, img);
        }
    },
    SMOOTH {
        @Override
        BufferedImage render(SplittableRandom rng, int size) {
            float[] c0 = colour(rng), c1 = colour(rng);
            float[] t = new float[size * size];
            int kind = rng.nextInt(3);
            double cx = rng.nextDouble() * size, cy = rng.nextDouble() * size, angle = rng.nextDouble() * 2 * Math.PI;
            double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle), reach = size * (0.5 + rng.nextDouble());
            float[] broad = kind == 2 ? ValueNoise.field(rng, size, Math.max(4, size / 2)) : null;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double w = switch (kind) {
                        case 0 -> Math.min(1, Math.hypot(x - cx, y - cy) / reach);              // radial
                        case 1 -> Math.max(0, Math.min(1, ((x - cx) * cos + (y - cy) * sin) / reach + 0.5)); // linear
                        default -> 0.5 + 0.5 * broad[y * size + x];                             // broad blobs
                    };
                    t[y * size + x] = (float) w;
                }
            }
            return finish(rng, size, mix(c0, c1, t, size));
        }
    };

    /** A fresh {@code size × size} {@link BufferedImage#TYPE_INT_RGB} background of this family. */
    abstract BufferedImage render(SplittableRandom rng, int size);

    /** The family's name on the command line: {@code classic}, {@code periodic}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every family, in declaration order. */
    public static List<BackgroundFamily> all() {
        return List.of(values());
    }

    /**
     * Families from a command-line value: {@code varied} (all), or a comma-separated list of labels.
     *
     * @throws IllegalArgumentException naming the unknown label and the accepted ones
     */
    public static List<BackgroundFamily> parse(String value) {
        if (value.equals("varied")) return all();
        List<BackgroundFamily> out = new ArrayList<>();
        for (String part : value.split(",")) {
            BackgroundFamily f = Arrays.stream(values()).filter(v -> v.label().equals(part.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown background family '" + part.trim()
                            + "'; expected varied or a list of " + Arrays.stream(values()).map(BackgroundFamily::label).toList()));
            if (!out.contains(f)) out.add(f);
        }
        return out;
    }

    /** Non-object clutter drawn over a background: open or filled marks that look like no class. */
    enum Clutter {
        STROKES, BLOBS, SPECKLE, FRAMES, SCRIBBLE;

        void draw(Graphics2D g, SplittableRandom rng, int size) {
            int n = switch (this) {
                case SPECKLE -> 40 + rng.nextInt(size);
                case SCRIBBLE -> 1 + rng.nextInt(3);
                default -> 2 + rng.nextInt(2 + size / 40);
            };
            for (int k = 0; k < n; k++) {
                g.setColor(awt(anyColour(rng), 90 + rng.nextInt(140)));
                double x = rng.nextDouble() * size, y = rng.nextDouble() * size;
                switch (this) {
                    case STROKES -> {
                        g.setStroke(new BasicStroke(1f + 2f * (float) rng.nextDouble(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                        double reach = size * (0.1 + 0.5 * rng.nextDouble());
                        Path2D.Double p = new Path2D.Double();
                        p.moveTo(x, y);
                        p.quadTo(x + reach * (rng.nextDouble() - 0.5), y + reach * (rng.nextDouble() - 0.5),
                                x + reach * (rng.nextDouble() - 0.5), y + reach * (rng.nextDouble() - 0.5));
                        g.draw(p);
                    }
                    case BLOBS -> {
                        double w = size * (0.02 + 0.1 * rng.nextDouble()), h = w * (0.4 + 1.2 * rng.nextDouble());
                        g.fill(new Ellipse2D.Double(x - w / 2, y - h / 2, w, h));
                    }
                    case SPECKLE -> {
                        double d = 1 + 2.5 * rng.nextDouble();
                        g.fill(new Ellipse2D.Double(x, y, d, d));
                    }
                    case FRAMES -> {
                        g.setStroke(new BasicStroke(1f + (float) rng.nextDouble()));
                        double w = size * (0.05 + 0.3 * rng.nextDouble()), h = size * (0.05 + 0.3 * rng.nextDouble());
                        g.draw(new Rectangle2D.Double(x - w / 2, y - h / 2, w, h));
                    }
                    case SCRIBBLE -> {
                        g.setStroke(new BasicStroke(1f + 1.5f * (float) rng.nextDouble(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                        Path2D.Double p = new Path2D.Double();
                        p.moveTo(x, y);
                        double heading = rng.nextDouble() * 2 * Math.PI, step = 3 + size / 40.0;
                        for (int s = 0; s < 20 + rng.nextInt(40); s++) {
                            heading += (rng.nextDouble() - 0.5) * 1.6;
                            x += step * StrictMath.cos(heading);
                            y += step * StrictMath.sin(heading);
                            p.lineTo(x, y);
                        }
                        g.draw(p);
                    }
                }
            }
        }
    }

    /** Mild noise on top and one or two kinds of clutter; the pixels of {@code img} are changed in place. */
    private static BufferedImage finish(SplittableRandom rng, int size, BufferedImage img) {
        int[] px = ProceduralBackground.pixels(img);
        float[] fine = ValueNoise.field(rng, size, Math.max(3, size / 16));
        for (int i = 0; i < px.length; i++) {
            int d = Math.round(10f * fine[i]), rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) rgb |= clamp(((px[i] >> shift) & 0xFF) + d) << shift;
            px[i] = rgb;
        }
        Clutter[] kinds = Clutter.values();
        Clutter first = kinds[rng.nextInt(kinds.length)];
        Clutter second = rng.nextBoolean() ? kinds[rng.nextInt(kinds.length)] : null;
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            first.draw(g, rng, size);
            if (second != null && second != first) second.draw(g, rng, size);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** {@code c0 + (c1 − c0)·t} per pixel, as an image. */
    private static BufferedImage mix(float[] c0, float[] c1, float[] t, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = ProceduralBackground.pixels(img);
        for (int i = 0; i < px.length; i++) {
            int rgb = 0;
            for (int ch = 0; ch < 3; ch++) rgb = (rgb << 8) | clamp(Math.round(c0[ch] + (c1[ch] - c0[ch]) * t[i]));
            px[i] = rgb;
        }
        return img;
    }

    /** Value noise summed over four octaves, halving the cell and the amplitude each time; about [-1, 1]. */
    private static float[] fractal(SplittableRandom rng, int size, int cell) {
        float[] sum = new float[size * size];
        float amplitude = 0.55f;
        for (int octave = 0; octave < 4; octave++, cell = Math.max(2, cell / 2), amplitude /= 2) {
            float[] f = ValueNoise.field(rng, size, cell);
            for (int i = 0; i < sum.length; i++) sum[i] += amplitude * f[i];
        }
        return sum;
    }

    /** 1 inside a disk of radius 0.3 around each lattice point of (u, v), 0 elsewhere, with a soft edge. */
    private static double dotLattice(double u, double v) {
        double du = u - Math.floor(u) - 0.5, dv = v - Math.floor(v) - 0.5;
        double r = Math.sqrt(du * du + dv * dv);
        return Math.max(0, Math.min(1, (0.32 - r) / 0.04));
    }

    /** Flat-coloured Voronoi cells of 6..40 random sites. */
    private static void voronoi(SplittableRandom rng, int size, int[] px) {
        int n = 6 + rng.nextInt(35);
        double[] sx = new double[n], sy = new double[n];
        int[] colour = new int[n];
        for (int k = 0; k < n; k++) {
            sx[k] = rng.nextDouble() * size;
            sy[k] = rng.nextDouble() * size;
            float[] c = colour(rng);
            colour[k] = (Math.round(c[0]) << 16) | (Math.round(c[1]) << 8) | Math.round(c[2]);
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int k = 0; k < n; k++) {
                    double d = (x - sx[k]) * (x - sx[k]) + (y - sy[k]) * (y - sy[k]);
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                px[y * size + x] = colour[best];
            }
        }
    }

    /** A mid-range colour: each channel in 50..210. */
    private static float[] colour(SplittableRandom rng) {
        return new float[] {50 + rng.nextInt(161), 50 + rng.nextInt(161), 50 + rng.nextInt(161)};
    }

    private static float[] anyColour(SplittableRandom rng) {
        return new float[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    }

    private static Color awt(float[] c, int alpha) {
        return new Color(Math.round(c[0]), Math.round(c[1]), Math.round(c[2]), alpha);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
