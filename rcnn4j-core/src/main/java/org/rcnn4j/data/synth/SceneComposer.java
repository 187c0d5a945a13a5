package org.rcnn4j.data.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stacks object layers on a square image under occlusion rules, and finds what stays visible.
 *
 * <p>Layers are drawn bottom to top with "over" compositing, so layer {@code i}'s final weight in
 * pixel {@code p} is {@code alpha_i(p) * prod_{j > i} (1 - alpha_j(p))}. A pixel is visible
 * for the object when that weight exceeds {@link #VISIBLE_ALPHA}; the object's box is the tight
 * box of its visible pixels.
 *
 * <p>A new layer is accepted only if, with it on top, every object keeps at least
 * {@code minVisibleFraction} of its own pixels visible and the visible boxes of every pair have
 * IoU at most {@code maxIoU}.
 */
final class SceneComposer {
    /**
     * An object owns a pixel when it contributes more than this share of the pixel's colour.
     * Below about 20 % a tinted pixel differs from the background by less than the sensor noise
     * added afterwards, so counting it would put invisible pixels in the box.
     */
    static final float VISIBLE_ALPHA = 0.2f;

    /** An object's visible pixels: count and inclusive pixel bounds (undefined when count is 0). */
    record Visibility(int pixels, int minX, int minY, int maxX, int maxY) {
        /** Continuous box {@code {x1, y1, x2, y2}} covering the visible pixels. */
        float[] box() {
            return new float[] {minX, minY, maxX + 1, maxY + 1};
        }
    }

    private final int size;
    private final double minVisibleFraction;
    private final double maxIoU;
    private final float[] transmittance;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Integer> ownPixels = new ArrayList<>();

    /**
     * @param size               image side in pixels
     * @param minVisibleFraction share of its own pixels each object must keep visible, in [0, 1]
     * @param maxIoU             largest IoU allowed between two visible boxes (1 = no limit)
     */
    SceneComposer(int size, double minVisibleFraction, double maxIoU) {
        this.size = size;
        this.minVisibleFraction = minVisibleFraction;
        this.maxIoU = maxIoU;
        this.transmittance = new float[size * size];
    }

    /** The accepted layers, bottom to top. */
    List<Layer> layers() {
        return List.copyOf(layers);
    }

    /**
     * Adds {@code layer} on top if the scene still meets the rules with it.
     *
     * @return whether it was added
     * @throws IllegalArgumentException when the layer reaches outside the image
     */
    boolean tryAdd(Layer layer) {
        if (layer.x() < 0 || layer.y() < 0 || layer.x() + layer.width() > size || layer.y() + layer.height() > size) {
            throw new IllegalArgumentException("layer at " + layer.x() + "," + layer.y() + " reaches outside the image");
        }
        int own = layer.ownPixels();
        if (own == 0) return false;
        List<Layer> candidate = new ArrayList<>(layers);
        candidate.add(layer);
        List<Integer> owns = new ArrayList<>(ownPixels);
        owns.add(own);
        Visibility[] vis = visibility(candidate);
        for (int i = 0; i < vis.length; i++) {
            if (vis[i].pixels() == 0 || vis[i].pixels() < minVisibleFraction * owns.get(i)) return false;
        }
        for (int i = 0; i < vis.length; i++) {
            for (int j = i + 1; j < vis.length; j++) {
                if (iou(vis[i].box(), vis[j].box()) > maxIoU) return false;
            }
        }
        layers.add(layer);
        ownPixels.add(own);
        return true;
    }

    /** Visibility of each accepted layer, in layer order. */
    Visibility[] visibility() {
        return visibility(layers);
    }

    private Visibility[] visibility(List<Layer> stack) {
        Arrays.fill(transmittance, 1f);
        Visibility[] out = new Visibility[stack.size()];
        for (int i = stack.size() - 1; i >= 0; i--) {
            out[i] = peel(stack.get(i));
        }
        return out;
    }

    /** Counts {@code layer}'s visible pixels under what is above it, then lets it cover what is below. */
    private Visibility peel(Layer layer) {
        int n = 0;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        float[] alpha = layer.alpha();
        for (int r = 0; r < layer.height(); r++) {
            int py = layer.y() + r;
            for (int c = 0; c < layer.width(); c++) {
                float a = alpha[r * layer.width() + c];
                if (a <= 0f) continue;
                int px = layer.x() + c;
                int idx = py * size + px;
                float t = transmittance[idx];
                if (a * t > VISIBLE_ALPHA) {
                    n++;
                    minX = Math.min(minX, px);
                    maxX = Math.max(maxX, px);
                    minY = Math.min(minY, py);
                    maxY = Math.max(maxY, py);
                }
                transmittance[idx] = t * (1f - a);
            }
        }
        return new Visibility(n, minX, minY, maxX, maxY);
    }

    /** IoU of two continuous boxes {@code {x1, y1, x2, y2}}; 0 when both are empty. */
    static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0.0;
        double inter = iw * ih;
        double union = (double) (a[2] - a[0]) * (a[3] - a[1]) + (double) (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0.0 : inter / union;
    }

    /**
     * Draws the layers over {@code rgb} (row-major {@code 0xRRGGBB}, side {@code size}) in place:
     * {@code out = a * colour + (1 - a) * out} per channel, bottom to top.
     *
     * @param colours per layer, its colour per crop pixel ({@link SceneObject#rgb()} layout)
     */
    static void composite(int[] rgb, int size, List<Layer> stack, List<int[]> colours) {
        for (int k = 0; k < stack.size(); k++) {
            Layer layer = stack.get(k);
            int[] col = colours.get(k);
            for (int r = 0; r < layer.height(); r++) {
                for (int c = 0; c < layer.width(); c++) {
                    int i = r * layer.width() + c;
                    float a = layer.alpha()[i];
                    if (a <= 0f) continue;
                    int idx = (layer.y() + r) * size + layer.x() + c;
                    rgb[idx] = blend(rgb[idx], col[i], a);
                }
            }
        }
    }

    private static int blend(int under, int over, float a) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            float u = (under >> shift) & 0xFF;
            float o = (over >> shift) & 0xFF;
            int v = Math.round(a * o + (1f - a) * u);
            out |= Math.max(0, Math.min(255, v)) << shift;
        }
        return out;
    }
}
