/**
 * The Region Proposal Network of Faster R-CNN (§3.1–3.3), on one shared map or on every level of a
 * feature pyramid (FPN §4.1).
 *
 * <ul>
 *   <li>{@link org.rcnn4j.modeling.rpn.RpnHead}: the layers, a 3×3 conv then sibling 1×1 convs for
 *       objectness (one logit per anchor, sigmoid) and box deltas, shared by all levels;</li>
 *   <li>{@link org.rcnn4j.modeling.rpn.RegionProposalNetwork}: head, anchors (§3.1.1) and loss (eq. 1,
 *       on the anchors {@link org.rcnn4j.modeling.sampling.AnchorTargets} samples), returning an
 *       {@link org.rcnn4j.modeling.rpn.RpnOutput};</li>
 *   <li>{@link org.rcnn4j.modeling.rpn.ProposalFilter}: RPN outputs → proposals (pre-NMS top-N, decode,
 *       clip, small-box removal, NMS; §3.3), as {@link org.rcnn4j.box.Proposals}; the top-N is a partial
 *       selection ({@code TopK}), taken per level on a pyramid.</li>
 * </ul>
 *
 * <p><b>Shapes.</b> N images, a map {@code (N, C, H, W)} of stride s, A anchors per position; the
 * head gives logits {@code (N, A, H, W)} and deltas {@code (N, 4A, H, W)}, laid out in anchor order
 * (row {@code (y·W + x)·A + a}, levels finest first). Anchors and proposals are absolute continuous
 * {@code x1 y1 x2 y2} in the network input's pixels; proposals come best first, clipped to the image.
 * The proposals are fixed boxes for the region stage: no gradient flows through their coordinates
 * (approximate joint training, Faster R-CNN §3.2).
 *
 * <p><b>Layering.</b> Imports {@code box}, {@code modeling}, {@code modeling.losses},
 * {@code modeling.sampling} and {@code preprocess}; nothing from {@code detector}, {@code training},
 * {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.rpn;
