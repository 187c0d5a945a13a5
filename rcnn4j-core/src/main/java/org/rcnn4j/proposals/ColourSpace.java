package org.rcnn4j.proposals;

import org.rcnn4j.preprocess.RgbImage;

/**
 * The colour spaces selective search diversifies over (Uijlings et al. 2013, §3.2 and Table 1):
 * each gives a different segmentation and different colour and texture histograms, so regions that
 * one space merges too early another keeps apart.
 *
 * <p>{@link #convert} returns one {@code float[W·H]} plane per channel, row-major, every channel
 * scaled to about {@code [0, 255]} so that the segmentation threshold {@code k} (given for 8-bit
 * RGB by Felzenszwalb and Huttenlocher) and the 25 fixed colour bins mean the same in every space.
 */
public enum ColourSpace {
    /** Hue, saturation, value: hue from 0° to 360° mapped onto 0..255, S and V × 255. */
    HSV(3),
    /** CIE L*a*b* (sRGB, D65): L × 2.55, a + 128, b + 128, the 8-bit convention of OpenCV. */
    LAB(3),
    /** Normalised r = R/(R+G+B), g = G/(R+G+B) (× 255), and intensity I = (R+G+B)/3. */
    RGI(3),
    /** Hue alone, as in HSV. */
    HUE(1),
    /** Intensity (R+G+B)/3 alone. */
    INTENSITY(1);

    /** sRGB component (0..255) → linear light in [0, 1] (IEC 61966-2-1). */
    private static final float[] LINEAR = new float[256];
    /** L*a*b*'s cube-root branch starts above (6/29)³. */
    private static final double EPSILON = Math.pow(6.0 / 29, 3);

    static {
        for (int i = 0; i < 256; i++) {
            double c = i / 255.0;
            LINEAR[i] = (float) (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
    }

    private final int channels;

    ColourSpace(int channels) {
        this.channels = channels;
    }

    /** Number of channels C this space yields: 3, or 1 for {@link #HUE} and {@link #INTENSITY}. */
    public int channels() {
        return channels;
    }

    /**
     * Converts an image.
     *
     * @return C planes of W·H floats, each value in [0, 255]
     */
    public float[][] convert(RgbImage image) {
        int n = image.width() * image.height();
        float[][] out = new float[channels][n];
        byte[] px = image.pixels();
        for (int p = 0; p < n; p++) {
            int r = px[3 * p] & 0xFF, g = px[3 * p + 1] & 0xFF, b = px[3 * p + 2] & 0xFF;
            switch (this) {
                case HSV -> {
                    int max = Math.max(r, Math.max(g, b));
                    int min = Math.min(r, Math.min(g, b));
                    out[0][p] = hue(r, g, b, max, min);
                    out[1][p] = max == 0 ? 0 : 255f * (max - min) / max;
                    out[2][p] = max;
                }
                case LAB -> lab(r, g, b, out, p);
                case RGI -> {
                    int sum = r + g + b;
                    out[0][p] = sum == 0 ? 255f / 3 : 255f * r / sum;
                    out[1][p] = sum == 0 ? 255f / 3 : 255f * g / sum;
                    out[2][p] = sum / 3f;
                }
                case HUE -> out[0][p] = hue(r, g, b, Math.max(r, Math.max(g, b)), Math.min(r, Math.min(g, b)));
                case INTENSITY -> out[0][p] = (r + g + b) / 3f;
            }
        }
        return out;
    }

    /** Hue in degrees / 360 × 255; 0 for grey pixels (max = min). */
    private static float hue(int r, int g, int b, int max, int min) {
        int d = max - min;
        if (d == 0) return 0;
        float h;
        if (max == r) h = 60f * (g - b) / d;
        else if (max == g) h = 120f + 60f * (b - r) / d;
        else h = 240f + 60f * (r - g) / d;
        if (h < 0) h += 360f;
        return h * (255f / 360f);
    }

    private static void lab(int r, int g, int b, float[][] out, int p) {
        double lr = LINEAR[r], lg = LINEAR[g], lb = LINEAR[b];
        // sRGB → XYZ (D65), divided by the D65 white point.
        double x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
        double y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb;
        double z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        out[0][p] = clamp((116 * fy - 16) * 2.55);
        out[1][p] = clamp(500 * (fx - fy) + 128);
        out[2][p] = clamp(200 * (fy - fz) + 128);
    }

    private static double f(double t) {
        return t > EPSILON ? Math.cbrt(t) : t / (3 * (6.0 / 29) * (6.0 / 29)) + 4.0 / 29;
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(255, v));
    }
}
