package org.rcnn4j.modeling.poolers;

/**
 * Slow, obviously-correct RoI pooling loops over (RoI, channel, bin), written straight from
 * torchvision's documented semantics, for checking the fast poolers. Maps are {@code double[C·H·W]}.
 */
final class RoIPoolingReference {

    private RoIPoolingReference() {
    }

    /** C's round(): halves away from zero. */
    static int cRound(float v) {
        return (int) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    }

    /**
     * RoI max pooling. Fills {@code argmax} (same length as the result) with the flat map index of
     * each output's maximum, or -1 when nothing was pooled.
     */
    static double[] roiPool(double[] map, int c, int h, int w, float[] rois, float scale,
            int outH, int outW, int[] argmax) {
        int r = rois.length / 4;
        double[] out = new double[r * c * outH * outW];
        for (int n = 0; n < r; n++) {
            int x0 = cRound(rois[4 * n] * scale);
            int y0 = cRound(rois[4 * n + 1] * scale);
            int x1 = cRound(rois[4 * n + 2] * scale);
            int y1 = cRound(rois[4 * n + 3] * scale);
            int roiW = Math.max(x1 - x0 + 1, 1);
            int roiH = Math.max(y1 - y0 + 1, 1);
            float binH = (float) roiH / outH;
            float binW = (float) roiW / outW;
            for (int ch = 0; ch < c; ch++) {
                for (int ph = 0; ph < outH; ph++) {
                    for (int pw = 0; pw < outW; pw++) {
                        int hs = clamp((int) Math.floor(ph * binH) + y0, h);
                        int he = clamp((int) Math.ceil((ph + 1) * binH) + y0, h);
                        int ws = clamp((int) Math.floor(pw * binW) + x0, w);
                        int we = clamp((int) Math.ceil((pw + 1) * binW) + x0, w);
                        boolean empty = he <= hs || we <= ws;
                        double best = empty ? 0 : -Float.MAX_VALUE;
                        int arg = -1;
                        for (int y = hs; y < he; y++) {
                            for (int x = ws; x < we; x++) {
                                int i = (ch * h + y) * w + x;
                                if (map[i] > best) {
                                    best = map[i];
                                    arg = i;
                                }
                            }
                        }
                        int o = ((n * c + ch) * outH + ph) * outW + pw;
                        out[o] = best;
                        argmax[o] = arg;
                    }
                }
            }
        }
        return out;
    }

    private static int clamp(int v, int length) {
        return Math.min(Math.max(v, 0), length);
    }

    /** RoIAlign, sample by sample with four corners each, as torchvision's forward kernel. */
    static double[] roiAlign(double[] map, int c, int h, int w, float[] rois, float scale,
            int outH, int outW, int samplingRatio, boolean aligned) {
        int r = rois.length / 4;
        double[] out = new double[r * c * outH * outW];
        float offset = aligned ? 0.5f : 0f;
        for (int n = 0; n < r; n++) {
            float sx = rois[4 * n] * scale - offset;
            float sy = rois[4 * n + 1] * scale - offset;
            float ex = rois[4 * n + 2] * scale - offset;
            float ey = rois[4 * n + 3] * scale - offset;
            float roiW = ex - sx;
            float roiH = ey - sy;
            if (!aligned) {
                roiW = Math.max(roiW, 1f);
                roiH = Math.max(roiH, 1f);
            }
            float binH = roiH / outH;
            float binW = roiW / outW;
            int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / outH);
            int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / outW);
            int count = Math.max(gridH * gridW, 1);
            for (int ch = 0; ch < c; ch++) {
                for (int ph = 0; ph < outH; ph++) {
                    for (int pw = 0; pw < outW; pw++) {
                        double sum = 0;
                        for (int iy = 0; iy < gridH; iy++) {
                            float y = sy + ph * binH + (iy + 0.5f) * binH / gridH;
                            for (int ix = 0; ix < gridW; ix++) {
                                float x = sx + pw * binW + (ix + 0.5f) * binW / gridW;
                                sum += bilinear(map, ch, h, w, y, x);
                            }
                        }
                        out[((n * c + ch) * outH + ph) * outW + pw] = sum / count;
                    }
                }
            }
        }
        return out;
    }

    private static double bilinear(double[] map, int ch, int h, int w, float y, float x) {
        if (y < -1f || y > h || x < -1f || x > w) {
            return 0;
        }
        y = Math.max(y, 0f);
        x = Math.max(x, 0f);
        int yl = (int) y;
        int xl = (int) x;
        int yh = yl + 1;
        int xh = xl + 1;
        if (yl >= h - 1) {
            yl = yh = h - 1;
            y = yl;
        }
        if (xl >= w - 1) {
            xl = xh = w - 1;
            x = xl;
        }
        float ly = y - yl;
        float lx = x - xl;
        float hy = 1f - ly;
        float hx = 1f - lx;
        int base = ch * h * w;
        return hy * hx * map[base + yl * w + xl] + hy * lx * map[base + yl * w + xh]
                + ly * hx * map[base + yh * w + xl] + ly * lx * map[base + yh * w + xh];
    }
}
