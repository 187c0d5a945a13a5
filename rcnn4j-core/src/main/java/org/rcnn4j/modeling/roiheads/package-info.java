/**
 * The region stage of the two-stage detectors (Fast R-CNN §2).
 * {@link org.rcnn4j.modeling.roiheads.RoiHeads} (torchvision's {@code RoIHeads}, Detectron2's
 * {@code StandardROIHeads}) samples RoIs from the proposals in training
 * ({@link org.rcnn4j.modeling.sampling.RoiTargets}, §2.3), pools them
 * ({@link org.rcnn4j.modeling.poolers.RegionPooler}), runs the
 * {@link org.rcnn4j.modeling.roiheads.BoxHead} and the {@link org.rcnn4j.modeling.roiheads.BoxPredictor},
 * then computes the multi-task loss (Fast R-CNN eq. 1: classification plus λ·smooth L1 on the true
 * class's deltas) or post-processes detections
 * ({@link org.rcnn4j.modeling.postprocess.DetectionPostProcessor}).
 *
 * <ul>
 *   <li>Box heads: {@link org.rcnn4j.modeling.roiheads.TwoMlpHead} (fc6, fc7: Fast R-CNN's VGG16 head,
 *       FPN's 2-fc head, §4.2), {@link org.rcnn4j.modeling.roiheads.C5Head} (a ResNet's conv5_x per
 *       RoI, He et al. 2016 Appendix A) and {@link org.rcnn4j.modeling.roiheads.WarpedRegionHead} (R-CNN's
 *       whole CNN on each warped region, giving fc7 and pool5);</li>
 *   <li>{@link org.rcnn4j.modeling.roiheads.FastRcnnPredictor}: the sibling {@code cls_score} and
 *       {@code bbox_pred} layers (§2, Fig. 1); {@link org.rcnn4j.modeling.roiheads.RcnnPredictor}: R-CNN's
 *       fine-tuned softmax, class SVMs ({@link org.rcnn4j.modeling.roiheads.ClassSvms}) and ridge box
 *       regressors ({@link org.rcnn4j.modeling.roiheads.ClassBoxRegressors}), trained outside the network
 *       and saved with it;</li>
 *   <li>{@link org.rcnn4j.modeling.roiheads.FactorisedLinear}: fc6 or fc7 factorised by truncated SVD
 *       (§3.1), two smaller layers under the original name;</li>
 *   <li>{@link org.rcnn4j.modeling.roiheads.FusedHeadWeights}: the saved layout of head and predictor,
 *       one block {@code box_head} in a model directory.</li>
 * </ul>
 *
 * <p><b>Shapes.</b> N images, R_i RoIs of image i, K object classes plus class 0 background: pooled
 * {@code (ΣR, C, h, w)}, region features {@code (ΣR, D)}, class scores {@code (ΣR, K+1)}, class-specific
 * deltas {@code (ΣR, 4(K+1))}, class u in columns 4u..4u+3. RoIs are absolute continuous
 * {@code x1 y1 x2 y2} in the network input's pixels.
 *
 * <p><b>Layering.</b> Builds on {@code box}, {@code linalg}, {@code preprocess} and the other
 * {@code modeling} packages; nothing from {@code detector}, {@code training}, {@code pretrain} or the
 * CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.roiheads;
