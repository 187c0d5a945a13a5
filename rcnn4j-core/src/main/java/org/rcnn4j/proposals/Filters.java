package org.rcnn4j.proposals;

/**
 * Separable linear filters on float planes: the Gaussian smoothing of {@link GraphSegmentation} and
 * the Gaussian derivatives of {@link ImageFeatures}. Borders repeat the edge pixel.
 */
final class Filters {
    private Filters() {}

    /**
     * A normalised Gaussian kernel of radius {@code ceil(truncate · σ)} (2r + 1 taps, summing to 1).
     */
    static float[] gaussian(float sigma, float truncate) {
        int r = Math.max(1, (int) Math.ceil(truncate * sigma));
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) k[i] /= (float) sum;
        return k;
    }

    /**
     * The first derivative of a Gaussian, {@code -x / σ² · G(x)} over radius {@code ceil(truncate · σ)},
     * scaled so that it maps the ramp {@code f(x) = x} to 1 (a unit gradient reads as 1).
     * Correlation with this kernel gives {@code f(x + 1) - f(x - 1)}-like differences: positive where
     * values grow with x.
     */
    static float[] gaussianDerivative(float sigma, float truncate) {
        int r = Math.max(1, (int) Math.ceil(truncate * sigma));
        float[] k = new float[2 * r + 1];
        double moment = 0;
        for (int i = -r; i <= r; i++) {
            double v = i * Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) v;
            moment += v * i;
        }
        for (int i = 0; i < k.length; i++) k[i] /= (float) moment;
        return k;
    }

    /**
     * Correlates a W×H plane with {@code kx} along rows and {@code ky} along columns (odd lengths,
     * centred), repeating border pixels.
     *
     * @return a new W×H plane
     */
    static float[] separable(float[] in, int w, int h, float[] kx, float[] ky) {
        float[] tmp = new float[w * h];
        int rx = kx.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float s = 0;
                if (x >= rx && x + rx < w) {
                    for (int i = 0, xx = x - rx; i < kx.length; i++, xx++) s += kx[i] * in[row + xx];
                } else {
                    for (int i = 0; i < kx.length; i++) s += kx[i] * in[row + clamp(x + i - rx, w)];
                }
                tmp[row + x] = s;
            }
        }
        float[] out = new float[w * h];
        int ry = ky.length / 2;
        for (int y = 0; y < h; y++) {
            for (int i = 0; i < ky.length; i++) {
                float kv = ky[i];
                int src = clamp(y + i - ry, h) * w;
                int dst = y * w;
                for (int x = 0; x < w; x++) out[dst + x] += kv * tmp[src + x];
            }
        }
        return out;
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }
}
