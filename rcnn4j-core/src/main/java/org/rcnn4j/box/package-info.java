/**
 * Box maths shared by every detector, in plain Java on {@code float[]}: IoU, clipping and other small
 * operations ({@link org.rcnn4j.box.Boxes}), the R-CNN box parameterisation
 * ({@link org.rcnn4j.box.BoxCoder}), greedy non-maximum suppression ({@link org.rcnn4j.box.Nms}) and
 * anchors ({@link org.rcnn4j.box.AnchorGenerator}, Faster R-CNN §3.1.1). It also holds
 * {@link org.rcnn4j.box.Proposals}, one image's region proposals as boxes with scores, best first: the
 * common currency of proposals files ({@code org.rcnn4j.data}), selective search
 * ({@code org.rcnn4j.proposals}), the RPN ({@code org.rcnn4j.modeling.rpn}) and proposal recall
 * ({@code org.rcnn4j.evaluation}).
 *
 * <p><b>Layout.</b> N boxes are one flat array of length 4N, row-major: row {@code i} is
 * {@code x1 = b[4i], y1 = b[4i+1], x2 = b[4i+2], y2 = b[4i+3]}. A matrix "N×M" is a flat
 * row-major array of length N·M. Shorthand: N, M boxes; R regions (RoIs); A anchors per cell;
 * K classes; H×W a feature map.
 *
 * <p><b>Pixel convention.</b> Unless a method says otherwise, boxes are absolute, continuous pixel
 * coordinates (as {@link org.rcnn4j.data.Annotation}): width {@code w = x2 - x1}, centre
 * {@code cx = x1 + w / 2}; a box over pixel columns 0..9 is {@code x1 = 0, x2 = 10}. The one
 * exception is {@link org.rcnn4j.box.AnchorGenerator#generateAnchors}, which reproduces
 * py-faster-rcnn's inclusive-pixel anchors ({@code w = x2 - x1 + 1});
 * {@link org.rcnn4j.box.Boxes#fromInclusive} converts them.
 *
 * <p><b>Errors.</b> Arrays of the wrong length are programming errors and throw
 * {@link java.lang.IllegalArgumentException}; each method documents what non-finite values do.
 *
 * <p><b>Layering.</b> Imports nothing from rcnn4j, so every package may use it; it knows nothing of
 * NDArrays, detectors or training. Never prints or exits.
 */
package org.rcnn4j.box;
