package org.rcnn4j.modeling.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * fc6 and fc7 as supervised pre-training left them, to start a detector's box head from
 * ({@code org.rcnn4j.modeling.roiheads.TwoMlpHead#loadPretrained}).
 * Fast R-CNN §2.2 initialises its head from the pre-trained network: RoI pooling replaces the last
 * max pooling, fc6 and fc7 keep their ImageNet weights, and only the two sibling layers are new.
 * rcnn4j's pre-training classifies each item from RoI-pooled features of the item's box through
 * fc6 and fc7 (see {@code org.rcnn4j.pretrain.ClassificationHead}), so the layers see in
 * pre-training the same kind of input they get in detection. Pre-trained with a spatial pyramid
 * pooling layer instead (SPP-net §2.3), fc6 reads the pyramid's bins and starts SPP-net's head.
 *
 * @param channels   C of the pooled features; fc6 takes {@code C · poolSize²} inputs (or
 *                   {@code C · Σ n²} after a pyramid), flattened channel-major as the box heads do
 * @param poolSize   side of the pooled grid (7); 0 after a spatial pyramid
 * @param fc6        units of fc6
 * @param fc7        units of fc7
 * @param parameters DJL's parameter stream of fc6, then of fc7 ({@code Block.saveParameters})
 * @param sppLevels  the spatial pyramid's levels (bins per side), empty after a grid
 */
public record PretrainedFc(int channels, int poolSize, int fc6, int fc7, byte[] parameters, List<Integer> sppLevels) {
    public PretrainedFc {
        sppLevels = sppLevels == null ? List.of() : List.copyOf(sppLevels);
        boolean grid = poolSize >= 1 && sppLevels.isEmpty();
        boolean pyramid = poolSize == 0 && !sppLevels.isEmpty() && sppLevels.stream().allMatch(n -> n >= 1);
        if (channels < 1 || fc6 < 1 || fc7 < 1 || !(grid || pyramid)) {
            throw new IllegalArgumentException("channels, fc6, fc7 positive and either a pool size or pyramid levels: "
                    + channels + ", " + poolSize + ", " + fc6 + ", " + fc7 + ", " + sppLevels);
        }
    }

    /** fc6 and fc7 after a {@code poolSize × poolSize} grid. */
    public PretrainedFc(int channels, int poolSize, int fc6, int fc7, byte[] parameters) {
        this(channels, poolSize, fc6, fc7, parameters, List.of());
    }

    /** The trained layers {@code fc6} ({@code C·poolSize²} → fc6 units) and {@code fc7}, serialised. */
    public static PretrainedFc of(Linear fc6, Linear fc7, int channels, int poolSize) {
        return new PretrainedFc(channels, poolSize, units(fc6), units(fc7), serialise(fc6, fc7));
    }

    /** The trained layers after a spatial pyramid of {@code levels} ({@code C·Σn²} → fc6 units), serialised. */
    public static PretrainedFc afterPyramid(Linear fc6, Linear fc7, int channels, List<Integer> levels) {
        return new PretrainedFc(channels, 0, units(fc6), units(fc7), serialise(fc6, fc7), levels);
    }

    private static byte[] serialise(Linear fc6, Linear fc7) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fc6.saveParameters(out);
            fc7.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** fc6's inputs per channel: poolSize² after a grid, the pyramid's bins after a pyramid. */
    public int cellsPerChannel() {
        return sppLevels.isEmpty() ? poolSize * poolSize : sppLevels.stream().mapToInt(n -> n * n).sum();
    }

    /**
     * Why these layers cannot start a head after a {@code headPool × headPool} grid, or null when
     * they can.
     *
     * @param headChannels C of the head's pooled input
     * @param headPool     side of the head's pooled grid
     * @param headFc6      fc6 units of the head
     * @param headFc7      fc7 units of the head
     */
    public String mismatch(int headChannels, int headPool, int headFc6, int headFc7) {
        if (!sppLevels.isEmpty()) {
            return String.format(Locale.ROOT, "pre-trained fc6/fc7 read a spatial pyramid %s, the head a %d×%d grid", sppLevels,
                    headPool, headPool);
        }
        if (channels == headChannels && poolSize == headPool && fc6 == headFc6 && fc7 == headFc7) return null;
        return String.format(Locale.ROOT, "pre-trained fc6/fc7 are %d-%d on %d×%d×%d features, the head is %d-%d on %d×%d×%d",
                fc6, fc7, channels, poolSize, poolSize, headFc6, headFc7, headChannels, headPool, headPool);
    }

    /**
     * Why these layers cannot start a head after a spatial pyramid of {@code headLevels}, or null
     * when they can.
     */
    public String pyramidMismatch(int headChannels, List<Integer> headLevels, int headFc6, int headFc7) {
        if (sppLevels.isEmpty()) {
            return String.format(Locale.ROOT, "pre-trained fc6/fc7 read a %d×%d grid, the head the spatial pyramid %s", poolSize,
                    poolSize, headLevels);
        }
        if (channels == headChannels && sppLevels.equals(headLevels) && fc6 == headFc6 && fc7 == headFc7) return null;
        return String.format(Locale.ROOT, "pre-trained fc6/fc7 are %d-%d on %d channels × pyramid %s, the head is %d-%d on %d × %s",
                fc6, fc7, channels, sppLevels, headFc6, headFc7, headChannels, headLevels);
    }

    private static int units(Linear layer) {
        return Math.toIntExact(layer.getParameters().get("weight").getShape().get(0));
    }
}
