/**
 * Region-of-interest feature pooling on DJL NDArrays: {@link org.rcnn4j.modeling.poolers.RoIPool}
 * (Fast R-CNN's RoI max pooling, Girshick 2015 §2.1, back-propagated through the argmax switches)
 * and {@link org.rcnn4j.modeling.poolers.RoIAlign} (bilinear sampling, Mask R-CNN §3), both behind
 * {@link org.rcnn4j.modeling.poolers.RoIPooler}; over a feature pyramid,
 * {@link org.rcnn4j.modeling.poolers.MultiLevelRoIPooler} pools each RoI from the level
 * {@link org.rcnn4j.modeling.poolers.LevelMapper} assigns it (FPN §4.2, eq. 1). The region stage
 * pools through {@link org.rcnn4j.modeling.poolers.RegionPooler}: one map, or the pyramid.
 *
 * <p><b>Shapes.</b> One image's feature map is {@code (C, H, W)} or {@code (1, C, H, W)}; R RoIs
 * are one flat {@code float[4R]} of absolute continuous {@code x1 y1 x2 y2} in input-image pixels;
 * the pooled output is {@code (R, C, outH, outW)}.
 *
 * <p><b>How it runs on DJL.</b> DJL has no RoI operator. Both poolers compute, in plain Java, where
 * every output value comes from (the argmax element, or the bilinear corners and their weights)
 * and then make one differentiable gather on the NDArray side. PyTorch back-propagates a gather as
 * a scatter-add into the feature map, so repeated sources accumulate: for max pooling this is
 * exactly the argmax-switch backward of Fast R-CNN §2.3. The RoI coordinates receive no gradient
 * (Faster R-CNN's "approximate joint training", §3.2).
 */
package org.rcnn4j.modeling.poolers;
