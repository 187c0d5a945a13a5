/**
 * From the region stage's outputs to final detections, in plain Java on float arrays:
 * {@link org.rcnn4j.modeling.postprocess.DetectionPostProcessor} decodes each class's box from its
 * class-specific deltas ({@link org.rcnn4j.box.BoxCoder}), clips it to the image, drops low scores and
 * degenerate boxes, runs non-maximum suppression per class ({@link org.rcnn4j.box.Nms}; R-CNN §2.2,
 * Fast R-CNN §4), keeps the best {@code detectionsPerImage} and maps the boxes back to the original
 * image by the resize factor, giving one {@link org.rcnn4j.modeling.postprocess.ImageDetections} per image.
 *
 * <p><b>Shapes.</b> For R RoIs of one image and K object classes: scores R×(K+1) and deltas R×4(K+1),
 * class u's deltas in columns 4u..4u+3, column 0 (class 0) background and never reported. Output: D
 * boxes as absolute continuous {@code x1 y1 x2 y2}, D scores, D class indices in 1..K, highest score first.
 *
 * <p><b>Layering.</b> Imports only {@code org.rcnn4j.box}; nothing from {@code detector},
 * {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.modeling.postprocess;
