/**
 * Pictures of detections: {@link org.rcnn4j.visualize.BoxPainter} draws each
 * {@link org.rcnn4j.data.Detection} as a box outline in its class's colour with a label such as
 * {@code "dress 0.93"}, most confident on top, on an {@link org.rcnn4j.preprocess.RgbImage}, and
 * writes PNGs (atomically).
 *
 * <p>Boxes are absolute continuous {@code x1 y1 x2 y2} in the image's pixels; a box covers pixel
 * columns {@code floor(x1) .. ceil(x2) - 1} and is clipped to the image. Colours depend only on the
 * class index.
 *
 * <p><b>Layering.</b> Imports {@code data}, {@code preprocess} and {@code io} (Java2D for drawing);
 * nothing from {@code detector}, {@code training}, {@code pretrain} or the CLI. Plots of curves
 * (precision/recall, loss) are drawn by the command line, not here. Never prints or exits.
 */
package org.rcnn4j.visualize;
