package org.rcnn4j.modeling.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * fc6 and fc7 as supervised pre-training left them, to start a detector's box head from
 * ({@code org.rcnn4j.modeling.roiheads.TwoMlpHead#loadPretrained}).
 * Fast R-CNN §2.2 initialises its head from the pre-trained network: RoI pooling replaces the last
 * max pooling, fc6 and fc7 keep their ImageNet weights, and only the two sibling layers are new.
 * rcnn4j's pre-training classifies each item from RoI-pooled features of the item's box through
 * fc6 and fc7 (see {@code org.rcnn4j.pretrain.ClassificationHead}), so the layers see in
 * pre-training the same kind of input they get in detection.
 *
 * @param channels   C of the pooled {@code (R, C, poolSize, poolSize)} features; fc6 takes
 *                   {@code C · poolSize²} inputs, flattened channel-major as the box head does
 * @param poolSize   side of the pooled grid (7)
 * @param fc6        units of fc6
 * @param fc7        units of fc7
 * @param parameters DJL's parameter stream of fc6, then of fc7 ({@code Block.saveParameters})
 */
public record PretrainedFc(int channels, int poolSize, int fc6, int fc7, byte[] parameters) {
    public PretrainedFc {
        if (channels < 1 || poolSize < 1 || fc6 < 1 || fc7 < 1) {
            throw new IllegalArgumentException("channels, poolSize, fc6 and fc7 must be positive: "
                    + channels + ", " + poolSize + ", " + fc6 + ", " + fc7);
        }
    }

    /** The trained layers {@code fc6} ({@code C·poolSize²} → fc6 units) and {@code fc7}, serialised. */
    public static PretrainedFc of(Linear fc6, Linear fc7, int channels, int poolSize) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fc6.saveParameters(out);
            fc7.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PretrainedFc(channels, poolSize, units(fc6), units(fc7), bytes.toByteArray());
    }

    /**
     * Why these layers cannot start a head of the given shape, or null when they can.
     *
     * @param headChannels C of the head's pooled input
     * @param headPool     side of the head's pooled grid
     * @param headFc6      fc6 units of the head
     * @param headFc7      fc7 units of the head
     */
    public String mismatch(int headChannels, int headPool, int headFc6, int headFc7) {
        if (channels == headChannels && poolSize == headPool && fc6 == headFc6 && fc7 == headFc7) return null;
        return String.format(Locale.ROOT, "pre-trained fc6/fc7 are %d-%d on %d×%d×%d features, the head is %d-%d on %d×%d×%d",
                fc6, fc7, channels, poolSize, poolSize, headFc6, headFc7, headChannels, headPool, headPool);
    }

    private static int units(Linear layer) {
        return Math.toIntExact(layer.getParameters().get("weight").getShape().get(0));
    }
}
