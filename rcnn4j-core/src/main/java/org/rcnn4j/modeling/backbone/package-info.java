/**
 * Convolutional backbones, built by name by {@link org.rcnn4j.modeling.backbone.Backbones}
 * ({@link org.rcnn4j.modeling.backbone.Backbones#NAMES}: {@code tiny}, {@code zf}, ResNet-18 at
 * several widths, ResNet-50, {@code vgg16}). A {@link org.rcnn4j.modeling.backbone.Backbone} is a chain
 * of named stages, each output described by a {@link org.rcnn4j.modeling.backbone.FeatureSpec}
 * (name, channels, stride). Every backbone provides C2..C5 at strides 4, 8, 16, 32: the single-map
 * detectors take C4, the stride-16 map (conv5 of ZF and VGG16, before the max pooling that Fast
 * R-CNN §2.1 replaces by RoI pooling; conv4_x of a ResNet, He et al. 2016 Appendix A), and FPN takes
 * C2..C5 as {@link org.rcnn4j.modeling.backbone.FeatureMaps}. Stages can be frozen from the first
 * one up (Fast R-CNN §4.5; the fixed shared layers of Faster R-CNN §3.2).
 *
 * <p>Building blocks: {@link org.rcnn4j.modeling.backbone.ConvUnit} (convolution, GroupNorm, ReLU),
 * {@link org.rcnn4j.modeling.backbone.ResidualBlock}, {@link org.rcnn4j.modeling.backbone.MaxPool} and
 * {@link org.rcnn4j.modeling.backbone.GroupNorm}, used in place of BatchNorm because detection batches
 * hold 1–2 images and the backbones train from scratch. Weights come from
 * {@link org.rcnn4j.modeling.backbone.SeededNormalInitializer}, so they depend on the seed alone.
 *
 * <p>Pre-trained weights: {@link org.rcnn4j.modeling.backbone.BackboneWeights} is the checksummed file
 * of a backbone and, optionally, of the fc6 and fc7 trained with it
 * ({@link org.rcnn4j.modeling.backbone.PretrainedFc}), which can start a detector's box head as in
 * Fast R-CNN §2.2. A damaged or foreign file is a {@link org.rcnn4j.io.BadInputException}.
 *
 * <p><b>Shapes.</b> Input {@code (N, 3, H, W)} normalised RGB; a map of stride s is
 * {@code (N, C, ceil(H / s), ceil(W / s))}.
 *
 * <p><b>Layering.</b> Imports only {@code org.rcnn4j.io}; nothing from {@code detector},
 * {@code training}, {@code pretrain} (which produces the weights files) or the CLI.
 */
package org.rcnn4j.modeling.backbone;
