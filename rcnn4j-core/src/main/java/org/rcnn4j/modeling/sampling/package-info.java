/**
 * Target assignment for training two-stage detectors, in plain Java on {@code float[]} (no NDArray):
 * which predictions (anchors, proposals) count as object or background, which of them a mini-batch
 * uses, and what they regress to.
 *
 * <ul>
 *   <li>{@link org.rcnn4j.modeling.sampling.Matcher}: IoU thresholds → a ground-truth index,
 *       {@link org.rcnn4j.modeling.sampling.Matcher#BACKGROUND} or
 *       {@link org.rcnn4j.modeling.sampling.Matcher#IGNORE} per prediction;</li>
 *   <li>{@link org.rcnn4j.modeling.sampling.BalancedSampler}: a random mini-batch with at most a
 *       fraction of positives;</li>
 *   <li>{@link org.rcnn4j.modeling.sampling.AnchorTargets}: the RPN's labels and box targets
 *       (Faster R-CNN §3.1.2, §3.3), as {@link org.rcnn4j.modeling.sampling.RpnTargets};</li>
 *   <li>{@link org.rcnn4j.modeling.sampling.RoiTargets}: the detection head's sampled RoIs, class
 *       labels and box targets (Fast R-CNN §2.3 "Mini-batch sampling"), as
 *       {@link org.rcnn4j.modeling.sampling.SampledRois}.</li>
 * </ul>
 *
 * <p><b>Conventions</b> are those of {@link org.rcnn4j.box}: N boxes are 4N floats, rows
 * {@code x1 y1 x2 y2}, absolute continuous pixel coordinates of the network's input image
 * ({@code w = x2 - x1}). Shorthand: A anchors in total over the image (all positions, all cell
 * anchors, all levels), R proposals (RoIs), G ground-truth boxes, S sampled RoIs, K object classes.
 * Ground-truth classes are 1..K; 0 is background.
 *
 * <p><b>Randomness</b> comes only from the {@link java.util.random.RandomGenerator} passed in, so a
 * caller seeding it per image from (seed, image index) gets results independent of thread count.
 *
 * <p><b>Empty inputs</b> are handled here, not by callers: an image without ground truth gets only
 * background, no predictions give empty results.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.box} and {@code org.rcnn4j.config} (for the paper rules
 * taken from a config section); nothing from {@code detector}, {@code training}, {@code pretrain} or the
 * CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.sampling;
