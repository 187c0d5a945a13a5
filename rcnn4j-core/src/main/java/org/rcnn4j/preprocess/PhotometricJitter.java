package org.rcnn4j.preprocess;

import java.util.random.RandomGenerator;

/**
 * Photometric augmentation of a training image, as torchvision's {@code ColorJitter} and
 * {@code RandomGrayscale} do it: brightness, contrast, saturation and hue each changed by a factor
 * drawn uniformly from its range, in a random order, then, with a probability, the image made
 * gray. Pixels change, boxes do not.
 *
 * <ul>
 *   <li><b>brightness</b> b ∈ [max(0, 1 − B), 1 + B]: every value times b;</li>
 *   <li><b>contrast</b> c ∈ [max(0, 1 − C), 1 + C]: blend with the image's mean gray level,
 *       {@code c·v + (1 − c)·mean};</li>
 *   <li><b>saturation</b> s ∈ [max(0, 1 − S), 1 + S]: blend with the pixel's own gray level;</li>
 *   <li><b>hue</b> h ∈ [−H, H], H ≤ 0.5: the hue turned by h of a full turn (HSV);</li>
 *   <li><b>grayscale</b> with probability p: every channel set to the luma
 *       {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R 601).</li>
 * </ul>
 * Values are computed in [0, 1] floats and clamped after each step, as torchvision's float path;
 * the result is rounded back to bytes. A range of 0 leaves its property alone (and draws nothing,
 * so that switching one on does not change the others' draws). The draws come from the caller's
 * generator, seeded per image, so the same seed gives the same bytes.
 *
 * @param brightness           B, at least 0
 * @param contrast             C, at least 0
 * @param saturation           S, at least 0
 * @param hue                  H, in [0, 0.5]
 * @param grayscaleProbability p, in [0, 1]
 */
public record PhotometricJitter(double brightness, double contrast, double saturation, double hue,
        double grayscaleProbability) {

    /** ITU-R 601 luma weights, torchvision's {@code rgb_to_grayscale}. */
    private static final double LUMA_R = 0.299, LUMA_G = 0.587, LUMA_B = 0.114;

    public PhotometricJitter {
        if (!(brightness >= 0) || !(contrast >= 0) || !(saturation >= 0) || Double.isInfinite(brightness)
                || Double.isInfinite(contrast) || Double.isInfinite(saturation)) {
            throw new IllegalArgumentException("brightness, contrast and saturation must be finite and >= 0, got "
                    + brightness + ", " + contrast + ", " + saturation);
        }
        if (!(hue >= 0 && hue <= 0.5)) throw new IllegalArgumentException("hue must be in [0, 0.5], got " + hue);
        if (!(grayscaleProbability >= 0 && grayscaleProbability <= 1)) {
            throw new IllegalArgumentException("grayscaleProbability must be in [0, 1], got " + grayscaleProbability);
        }
    }

    /** No photometric change. */
    public static PhotometricJitter none() {
        return new PhotometricJitter(0, 0, 0, 0, 0);
    }

    /** Whether this changes nothing. */
    public boolean leavesImagesAlone() {
        return brightness == 0 && contrast == 0 && saturation == 0 && hue == 0 && grayscaleProbability == 0;
    }

    /** The factors drawn for one image: 1, 1, 1, 0 and no grayscale leave it unchanged. */
    record Draw(int[] order, double brightness, double contrast, double saturation, double hue, boolean grayscale) {}

    /** Draws one image's factors: the order of the four steps, each factor, then the grayscale coin. */
    Draw draw(RandomGenerator random) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = brightness == 0 ? 1 : uniform(random, Math.max(0, 1 - brightness), 1 + brightness);
        double c = contrast == 0 ? 1 : uniform(random, Math.max(0, 1 - contrast), 1 + contrast);
        double s = saturation == 0 ? 1 : uniform(random, Math.max(0, 1 - saturation), 1 + saturation);
        double h = hue == 0 ? 0 : uniform(random, -hue, hue);
        boolean gray = grayscaleProbability > 0 && random.nextDouble() < grayscaleProbability;
        return new Draw(order, b, c, s, h, gray);
    }

    private static double uniform(RandomGenerator random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** {@code image} jittered by factors drawn from {@code random}; the image itself when this is {@link #none()}. */
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        if (leavesImagesAlone()) return image;
        return apply(image, draw(random));
    }

    /** {@code image} with the given factors. */
    static RgbImage apply(RgbImage image, Draw d) {
        float[] v = toUnit(image);
        for (int step : d.order()) {
            switch (step) {
                case 0 -> scale(v, d.brightness());
                case 1 -> blendWithMeanGray(v, d.contrast());
                case 2 -> blendWithGray(v, d.saturation());
                default -> turnHue(v, d.hue());
            }
        }
        if (d.grayscale()) toGray(v);
        return fromUnit(image.width(), image.height(), v);
    }

    private static float[] toUnit(RgbImage image) {
        byte[] p = image.pixels();
        float[] v = new float[p.length];
        for (int i = 0; i < p.length; i++) v[i] = (p[i] & 0xFF) / 255f;
        return v;
    }

    private static RgbImage fromUnit(int width, int height, float[] v) {
        byte[] p = new byte[v.length];
        for (int i = 0; i < v.length; i++) p[i] = (byte) Math.round(clamp(v[i]) * 255f);
        return new RgbImage(width, height, p);
    }

    private static float clamp(float x) {
        return x < 0 ? 0 : x > 1 ? 1 : x;
    }

    /** Brightness: {@code v·b}. */
    static void scale(float[] v, double b) {
        if (b == 1) return;
        for (int i = 0; i < v.length; i++) v[i] = clamp((float) (v[i] * b));
    }

    /** Contrast: {@code c·v + (1 − c)·m}, m the mean luma of the image. */
    static void blendWithMeanGray(float[] v, double c) {
        if (c == 1) return;
        double sum = 0;
        for (int i = 0; i < v.length; i += 3) sum += luma(v, i);
        float mean = (float) (sum / (v.length / 3));
        for (int i = 0; i < v.length; i++) v[i] = clamp((float) (c * v[i] + (1 - c) * mean));
    }

    /** Saturation: {@code s·v + (1 − s)·gray}, gray the pixel's luma. */
    static void blendWithGray(float[] v, double s) {
        if (s == 1) return;
        for (int i = 0; i < v.length; i += 3) {
            float g = (float) luma(v, i);
            for (int c = 0; c < 3; c++) v[i + c] = clamp((float) (s * v[i + c] + (1 - s) * g));
        }
    }

    /** Grayscale: every channel the pixel's luma. */
    static void toGray(float[] v) {
        for (int i = 0; i < v.length; i += 3) {
            float g = (float) luma(v, i);
            v[i] = g;
            v[i + 1] = g;
            v[i + 2] = g;
        }
    }

    private static double luma(float[] v, int i) {
        return LUMA_R * v[i] + LUMA_G * v[i + 1] + LUMA_B * v[i + 2];
    }

    /** Hue: each pixel's hue turned by {@code h} of a full turn, saturation and value kept. */
    static void turnHue(float[] v, double h) {
        if (h == 0) return;
        for (int i = 0; i < v.length; i += 3) {
            float r = v[i], g = v[i + 1], b = v[i + 2];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma == 0) continue; // gray: no hue to turn
            double hue;
            if (max == r) hue = ((g - b) / chroma) / 6.0;
            else if (max == g) hue = ((b - r) / chroma + 2) / 6.0;
            else hue = ((r - g) / chroma + 4) / 6.0;
            hue = hue + h;
            hue -= Math.floor(hue);
            // Back to RGB with the same value (max) and chroma.
            double sector = hue * 6;
            int k = (int) sector % 6;
            double f = sector - Math.floor(sector);
            float rising = (float) (min + chroma * f);
            float falling = (float) (max - chroma * f);
            switch (k) {
                case 0 -> { v[i] = max; v[i + 1] = rising; v[i + 2] = min; }
                case 1 -> { v[i] = falling; v[i + 1] = max; v[i + 2] = min; }
                case 2 -> { v[i] = min; v[i + 1] = max; v[i + 2] = rising; }
                case 3 -> { v[i] = min; v[i + 1] = falling; v[i + 2] = max; }
                case 4 -> { v[i] = rising; v[i + 1] = min; v[i + 2] = max; }
                default -> { v[i] = max; v[i + 1] = min; v[i + 2] = falling; }
            }
        }
    }
}
