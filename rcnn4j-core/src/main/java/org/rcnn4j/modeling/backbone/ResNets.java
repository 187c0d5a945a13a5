package org.rcnn4j.modeling.backbone;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-18 (basic blocks 2-2-2-2) with a width multiplier and ResNet-50 (bottleneck blocks
 * 3-4-6-3), He et al. 2016, Table 1, with GroupNorm in place of BatchNorm (see {@link GroupNorm}).
 *
 * <p>Stages: {@code stem} = conv 7 x 7 / 2 + 3 x 3 / 2 max pool (stride 4), {@code C2} = conv2_x
 * (stride 4), {@code C3} = conv3_x (8), {@code C4} = conv4_x (16, the single-scale output, as
 * Faster R-CNN §4.1 / He et al. 2016 Appendix A use ResNet's conv4 for detection), {@code C5} =
 * conv5_x (32). Each stage's first block carries the stride (on its 3 x 3).
 *
 * <p>The stem and the stages follow torchvision's {@code resnet50} layer for layer (conv1 7 x 7 / 2
 * padding 3, max pool 3 x 3 / 2 padding 1, layer1..layer4 with the stride on the 3 x 3 and a
 * 1 x 1 projection shortcut on each stage's first block), so its weights map one to one.
 */
final class ResNets {
    private ResNets() {}

    /**
     * ResNet-18 whose widths are {@code width} times the paper's (64, 64, 128, 256, 512); width 1 is
     * the real network.
     */
    static Backbone resnet18(String name, double width) {
        int[] w = new int[5];
        int[] base = {64, 64, 128, 256, 512};
        for (int i = 0; i < 5; i++) w[i] = Math.max(8, (int) Math.round(base[i] * width));
        List<Backbone.Stage> stages = new ArrayList<>();
        stages.add(stem(w[0], true));
        int in = w[0];
        for (int s = 0; s < 4; s++) {
            Block[] blocks = new Block[2];
            for (int b = 0; b < 2; b++) {
                blocks[b] = ResidualBlock.basic(b == 0 ? in : w[s + 1], w[s + 1], b == 0 && s > 0 ? 2 : 1);
            }
            in = w[s + 1];
            stages.add(PlainNets.stage("C" + (s + 2), in, 4 << s, blocks));
        }
        return new Backbone(name, stages);
    }

    /**
     * ResNet-50 at its real size: bottleneck widths 64, 128, 256, 512, outputs four times those.
     *
     * @param groupNorm GroupNorm after each convolution ({@code resnet50}, trainable from scratch), or
     *                  convolutions with bias ({@code resnet50-frozen-bn}: torchvision's ResNet-50 with
     *                  its frozen BatchNorm folded into them, for imported weights)
     */
    static Backbone resnet50(String name, boolean groupNorm) {
        int[] depth = {3, 4, 6, 3};
        List<Backbone.Stage> stages = new ArrayList<>();
        stages.add(stem(64, groupNorm));
        int in = 64;
        for (int s = 0; s < 4; s++) {
            int mid = 64 << s, out = 4 * mid;
            Block[] blocks = new Block[depth[s]];
            for (int b = 0; b < depth[s]; b++) {
                blocks[b] = ResidualBlock.bottleneck(b == 0 ? in : out, mid, out, b == 0 && s > 0 ? 2 : 1, groupNorm);
            }
            in = out;
            stages.add(PlainNets.stage("C" + (s + 2), out, 4 << s, blocks));
        }
        return new Backbone(name, stages);
    }

    private static Backbone.Stage stem(int channels, boolean norm) {
        return PlainNets.stage("stem", channels, 4, new ConvUnit(channels, 7, 2, norm, true), new MaxPool(3, 2, 1, false));
    }
}
