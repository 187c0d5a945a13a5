/**
 * The parts two-stage detectors are composed of, in subpackages by stage, and what those share.
 *
 * <ul>
 *   <li>{@link org.rcnn4j.modeling.backbone}: convolutional backbones, C2..C5 and the stride-16 map;</li>
 *   <li>{@link org.rcnn4j.modeling.neck}: FPN's top-down pathway and lateral connections (FPN §3);</li>
 *   <li>{@link org.rcnn4j.modeling.rpn}: the Region Proposal Network (Faster R-CNN §3.1–3.3);</li>
 *   <li>{@link org.rcnn4j.modeling.sampling}: target assignment for anchors and RoIs;</li>
 *   <li>{@link org.rcnn4j.modeling.poolers}: RoI max pooling (Fast R-CNN §2.1) and RoIAlign
 *       (Mask R-CNN §3);</li>
 *   <li>{@link org.rcnn4j.modeling.roiheads}: the region stage, box head and predictor (Fast R-CNN §2);</li>
 *   <li>{@link org.rcnn4j.modeling.postprocess}: detections from class scores and box deltas;</li>
 *   <li>{@link org.rcnn4j.modeling.losses}: the multi-task losses and their named terms.</li>
 * </ul>
 *
 * <p>Shared here: {@link org.rcnn4j.modeling.GroundTruth} (an image's boxes and classes 1..K in the
 * network input's frame, crowd and difficult objects left out), {@link org.rcnn4j.modeling.StageTimes}
 * (wall time per stage of detection), {@link org.rcnn4j.modeling.Autograd} (whether DJL is recording
 * for a backward pass on this thread) and {@link org.rcnn4j.modeling.Blocks} (operations on whole DJL
 * blocks, such as copying parameters).
 *
 * <p><b>Conventions</b> of every subpackage: N images per batch, R RoIs, A anchors, K object classes
 * plus class 0 for background; feature maps NCHW; boxes flat {@code float[]} rows of absolute
 * continuous {@code x1 y1 x2 y2} in the network input's pixels (see {@link org.rcnn4j.box}). Target
 * assignment, proposal filtering and post-processing run in plain Java; only the differentiable parts
 * are DJL NDArrays.
 *
 * <p><b>Layering.</b> These packages build on {@code box}, {@code config}, {@code linalg},
 * {@code preprocess} and {@code io}, and import nothing from {@code detector}, {@code training},
 * {@code pretrain} or the CLI: {@code org.rcnn4j.detector} composes them into detectors. Never prints
 * or exits.
 */
package org.rcnn4j.modeling;
