/**
 * The losses of the two-stage detectors as differentiable NDArray expressions
 * ({@link org.rcnn4j.modeling.losses.Losses}): sigmoid cross-entropy of RPN objectness (Faster R-CNN
 * §3.1.2), softmax cross-entropy over K+1 classes with class 0 background (Fast R-CNN §2.3), and
 * smooth L1 on box deltas (Fast R-CNN eq. 3, with a transition point β: 1 for the head, 1/9 for the
 * RPN as in py-faster-rcnn). Their inputs are the predictions already selected by
 * {@code org.rcnn4j.modeling.sampling}, so each loss is a few native calls whatever the number of
 * anchors or RoIs.
 *
 * <p>{@link org.rcnn4j.modeling.losses.LossTerms} holds a detector's multi-task loss as named terms, in
 * the order the stages add them: the RPN's {@code rpn_cls} and {@code rpn_box} (Faster R-CNN eq. 1),
 * then the region stage's {@code roi_cls} and {@code roi_box} (Fast R-CNN eq. 1). A detector without a
 * stage adds none of its terms; training minimises the sum.
 *
 * <p><b>DJL note.</b> Scalars on the autograd path are arrays from
 * {@link org.rcnn4j.modeling.losses.Losses#constant}, never {@code NDArray op Number}, whose temporary
 * tensor the PyTorch engine frees before the backward pass reads it.
 *
 * <p><b>Layering.</b> Imports nothing from rcnn4j; nothing from {@code detector}, {@code training},
 * {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.losses;
