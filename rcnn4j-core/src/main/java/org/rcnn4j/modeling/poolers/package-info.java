/**
 * Region-of-interest feature pooling on DJL NDArrays: {@link org.rcnn4j.modeling.poolers.RoIPool}
 * (Fast R-CNN's RoI max pooling, Girshick 2015 §2.1, back-propagated through the argmax switches)
 * and {@link org.rcnn4j.modeling.poolers.RoIAlign} (bilinear sampling, Mask R-CNN §3), both behind
 * {@link org.rcnn4j.modeling.poolers.RoIPooler}; over a feature pyramid,
 * {@link org.rcnn4j.modeling.poolers.MultiLevelRoIPooler} pools each RoI from the level
 * {@link org.rcnn4j.modeling.poolers.LevelMapper} assigns it (FPN §4.2, eq. 1);
 * {@link org.rcnn4j.modeling.poolers.SpatialPyramidPooling} max-pools each window into SPP-net's
 * pyramid of 6×6, 3×3, 2×2 and 1×1 bins (He et al. 2014, §2.3, Appendix A). The region stage
 * pools through {@link org.rcnn4j.modeling.poolers.RegionPooler}: one map, or the pyramid. For the
 * test-time image pyramid, {@link org.rcnn4j.modeling.poolers.PyramidScaleMapper} picks the scale whose
 * RoI area is nearest 224² (SPP-net §3.1, Fast R-CNN §5.2).
 *
 * <p><b>Shapes.</b> One image's feature map is {@code (C, H, W)} or {@code (1, C, H, W)}; R RoIs
 * are one flat {@code float[4R]} of absolute continuous {@code x1 y1 x2 y2} in input-image pixels;
 * the pooled output is {@code (R, C, outH, outW)}. Each call pools all of one image's RoIs.
 *
 * <p><b>How it runs on DJL.</b> DJL has no RoI operator. Both poolers compute, in plain Java, where
 * every output value comes from (the argmax element, or the bilinear cells and their weights) and
 * then gather on the NDArray side: one {@code take} for max pooling, a row gather and a batched
 * matrix product with the weights for RoIAlign. PyTorch back-propagates a gather as a scatter-add
 * into the feature map, so repeated sources accumulate: for max pooling this is exactly the
 * argmax-switch backward of Fast R-CNN §2.3. When autograd is not recording (inference, see
 * {@link org.rcnn4j.modeling.Autograd}) both poolers compute their output in Java instead. The RoI
 * coordinates receive no gradient (Faster R-CNN's "approximate joint training", §3.2).
 *
 * <p><b>Layering.</b> Imports only {@code org.rcnn4j.config} ({@code ImagePyramid}) and
 * {@code org.rcnn4j.modeling} ({@code Autograd}); nothing from {@code detector}, {@code training},
 * {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.poolers;
