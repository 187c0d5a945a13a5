package org.rcnn4j.modeling.backbone;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * The backbones without shortcuts: {@code tiny}, {@code zf} and {@code vgg16}. Every downsampling
 * step maps a side n to {@code ceil(n / 2)}, so stage {@code C4} (stride 16) has
 * {@code ceil(H / 16) x ceil(W / 16)} cells.
 */
final class PlainNets {
    private PlainNets() {}

    /**
     * {@code tiny}, for tests and the demo: eight 3 x 3 convolutions with GroupNorm and ReLU. C1
     * (stride 2, 16 channels), C2 (4, 32), C3 (8, 64: two convolutions), C4 (16, 64: three), C5 (32,
     * 64). The width goes to the strides 8 and 16, where it is cheap (a 416-pixel input has 2,704
     * cells at stride 8, 43,264 at stride 2): measured on 600 {@code shapes} images, 3000
     * iterations, this layout reached val voc07 0.824 against 0.775 for one convolution of 32
     * channels per stage, for 1.28 times the training time (bench/results/faster_rcnn_shapes.md;
     * 2026-11-24, commit 113a9b5).
     */
    static Backbone tiny() {
        return new Backbone("tiny", List.of(
                stage("C1", 16, 2, new ConvUnit(16, 3, 2, true, true)),
                stage("C2", 32, 4, new ConvUnit(32, 3, 2, true, true)),
                stage("C3", 64, 8, new ConvUnit(64, 3, 2, true, true), new ConvUnit(64, 3, 1, true, true)),
                stage("C4", 64, 16, new ConvUnit(64, 3, 2, true, true), new ConvUnit(64, 3, 1, true, true),
                        new ConvUnit(64, 3, 1, true, true)),
                stage("C5", 64, 32, new ConvUnit(64, 3, 2, true, true))));
    }

    /**
     * {@code zf}: the five-convolution net of Zeiler and Fergus (2014) as py-faster-rcnn's ZF uses
     * it for detection (conv1 7 x 7 / 2, pool 3 x 3 / 2, conv2 5 x 5 / 2, pool 3 x 3 / 2, conv3-5
     * 3 x 3; conv5 at stride 16), at half its channel widths (48, 128, 192, 192, 128 instead of 96,
     * 256, 384, 384, 256: a quarter of the multiply-adds) so that it trains on a 2-core CPU, with
     * GroupNorm after each convolution in place of local response normalisation (trainable from
     * scratch). Pools run in floor mode with padding 1 so conv5 is exactly {@code ceil(n / 16)}.
     * C5 (stride 32) is one more 3 x 3 / 2 max pool.
     */
    static Backbone zf() {
        return new Backbone("zf", List.of(
                stage("C1", 48, 2, new ConvUnit(48, 7, 2, true, true)),
                stage("C2", 48, 4, new MaxPool(3, 2, 1, false)),
                stage("C3", 128, 8, new ConvUnit(128, 5, 2, true, true)),
                stage("C4", 128, 16, new MaxPool(3, 2, 1, false),
                        new ConvUnit(192, 3, 1, true, true),
                        new ConvUnit(192, 3, 1, true, true),
                        new ConvUnit(128, 3, 1, true, true)),
                stage("C5", 128, 32, new MaxPool(3, 2, 1, false))));
    }

    /**
     * {@code vgg16}: VGG-16's 13 convolutions (Simonyan and Zisserman 2015, configuration D), 3 x 3
     * with bias and ReLU, no normalisation (the layout of the Caffe weights that Fast and Faster
     * R-CNN fine-tune). Stages follow the pools: C1 = conv1_1..conv2_2 (stride 2, with pool1),
     * C2 = pool2 + conv3_x (stride 4), C3 = pool3 + conv4_x (8), C4 = pool4 + conv5_x (16: conv5_3,
     * no pool5, as Fast R-CNN §2.1 replaces pool5 by RoI pooling), C5 = pool5 (32). Pools are
     * 2 x 2 / 2 in ceil mode, as Caffe ran them.
     */
    static Backbone vgg16() {
        return new Backbone("vgg16", List.of(
                stage("C1", 128, 2, plain(64), plain(64), pool2(), plain(128), plain(128)),
                stage("C2", 256, 4, pool2(), plain(256), plain(256), plain(256)),
                stage("C3", 512, 8, pool2(), plain(512), plain(512), plain(512)),
                stage("C4", 512, 16, pool2(), plain(512), plain(512), plain(512)),
                stage("C5", 512, 32, pool2())));
    }

    private static ConvUnit plain(int channels) {
        return new ConvUnit(channels, 3, 1, false, true);
    }

    private static MaxPool pool2() {
        return new MaxPool(2, 2, 0, true);
    }

    static Backbone.Stage stage(String name, int channels, int stride, Block... layers) {
        Block block;
        if (layers.length == 1) {
            block = layers[0];
        } else {
            SequentialBlock seq = new SequentialBlock();
            for (Block layer : layers) seq.add(layer);
            block = seq;
        }
        return new Backbone.Stage(new FeatureSpec(name, channels, stride), block);
    }
}
