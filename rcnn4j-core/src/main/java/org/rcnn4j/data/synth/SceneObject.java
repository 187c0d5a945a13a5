package org.rcnn4j.data.synth;

/**
 * One object as it ended up in a generated image.
 *
 * <p>The box is the tight box of the object's visible pixels in the continuous convention of
 * {@link org.rcnn4j.data.Annotation}: pixel columns {@code x1 .. x2 - 1}, rows {@code y1 .. y2 - 1}.
 *
 * @param classIndex    class index 1..K in the generator's category order
 * @param source        where the object came from: the Fashion-MNIST item index within its
 *                      file (training or t10k), or -1 for a drawn shape
 * @param layer         its coverage in the image
 * @param rgb           its colour per crop pixel, {@code 0xRRGGBB}, same layout as {@link Layer#alpha()}
 * @param visiblePixels pixels where its final weight in the image exceeds {@link SceneComposer#VISIBLE_ALPHA}
 * @param ownPixels     {@link Layer#ownPixels()}: the same count without occlusion
 */
public record SceneObject(
        int classIndex,
        int source,
        Layer layer,
        int[] rgb,
        int visiblePixels,
        int ownPixels,
        float x1,
        float y1,
        float x2,
        float y2) {

    /** The box as {@code {x1, y1, x2, y2}}. */
    public float[] box() {
        return new float[] {x1, y1, x2, y2};
    }

    /** Visible share of the object's own pixels, in [0, 1]. */
    public double visibleFraction() {
        return ownPixels == 0 ? 0.0 : (double) visiblePixels / ownPixels;
    }
}
