package org.rcnn4j.data.synth;

/** Image resampling on float planes. */
final class Resample {
    private Resample() {}

    /**
     * Bilinear resize of a row-major {@code sw x sh} plane to {@code dw x dh}, aligning pixel
     * centres (destination pixel {@code d} samples source coordinate {@code (d + 0.5) * s / d' - 0.5})
     * and repeating edge pixels beyond the border.
     */
    static float[] bilinear(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        double sx = (double) sw / dw, sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                float wx = (float) (fx - x0);
                float top = src[y0 * sw + x0] + (src[y0 * sw + x1] - src[y0 * sw + x0]) * wx;
                float bottom = src[y1 * sw + x0] + (src[y1 * sw + x1] - src[y1 * sw + x0]) * wx;
                out[y * dw + x] = top + (bottom - top) * wy;
            }
        }
        return out;
    }
}
