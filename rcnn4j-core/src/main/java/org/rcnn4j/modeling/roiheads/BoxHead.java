package org.rcnn4j.modeling.roiheads;

import ai.djl.nn.Block;

/**
 * The per-region layers between RoI pooling and the {@link BoxPredictor} (torchvision's
 * {@code box_head}, Detectron2's {@code box_head}): pooled region features {@code (R, C, h, w)} in,
 * one feature vector per region {@code (R, D)} out. Nothing class-specific: the predictor scores
 * and regresses from these vectors, so one head serves a softmax predictor in fine-tuning and, in
 * R-CNN and SPP-net, the SVMs trained on its features afterwards.
 *
 * <p>Kinds: {@link TwoMlpHead} (fc6, fc7: Fast R-CNN's VGG16 head, FPN's 2-fc head) and
 * {@link C5Head} (a ResNet's conv5_x stage, He et al. 2016, Appendix A).
 */
public interface BoxHead extends Block {}
