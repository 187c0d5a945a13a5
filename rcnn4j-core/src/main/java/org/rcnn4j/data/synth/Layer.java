package org.rcnn4j.data.synth;

/**
 * One object's coverage: an alpha crop placed at integer pixel offset {@code (x, y)} of the image.
 *
 * <p>{@code alpha[r * width + c]} in [0, 1] is how much of image pixel {@code (x + c, y + r)}
 * the object covers (1 = opaque). The object's own pixels are those with alpha above
 * {@link SceneComposer#VISIBLE_ALPHA}.
 *
 * @param x      column of the crop's left edge in the image
 * @param y      row of the crop's top edge in the image
 * @param width  crop width in pixels
 * @param height crop height in pixels
 * @param alpha  row-major coverage, {@code width * height} values; shared, never modified
 */
public record Layer(int x, int y, int width, int height, float[] alpha) {
    public Layer {
        if (width <= 0 || height <= 0 || alpha.length != width * height) {
            throw new IllegalArgumentException("layer " + width + "x" + height + " with " + alpha.length + " values");
        }
    }

    /** The same coverage at another offset. */
    public Layer moveTo(int newX, int newY) {
        return new Layer(newX, newY, width, height, alpha);
    }

    /** Coverage at image pixel {@code (px, py)}; 0 outside the crop. */
    public float alphaAt(int px, int py) {
        int c = px - x;
        int r = py - y;
        if (c < 0 || r < 0 || c >= width || r >= height) return 0f;
        return alpha[r * width + c];
    }

    /** Number of the object's own pixels (alpha above {@link SceneComposer#VISIBLE_ALPHA}), before occlusion. */
    public int ownPixels() {
        int n = 0;
        for (float a : alpha) if (a > SceneComposer.VISIBLE_ALPHA) n++;
        return n;
    }
}
