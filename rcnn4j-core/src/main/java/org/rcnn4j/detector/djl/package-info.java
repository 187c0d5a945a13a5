/**
 * rcnn4j detectors for code written against DJL's {@code Model} and {@code Predictor}.
 * {@link org.rcnn4j.detector.djl.Rcnn4jModels} loads a model directory as a DJL {@code Model} whose
 * block is a {@link org.rcnn4j.detector.djl.DetectorBlock} (inference only; one image
 * {@code (H, W, 3)} uint8 RGB in; D boxes, scores and category ids out), and
 * {@link org.rcnn4j.detector.djl.DetectorTranslator} turns DJL's {@code Image} into
 * {@code DetectedObjects} with the training data's class names. The detections are those of
 * {@link org.rcnn4j.detector.Detector#detect}.
 *
 * <p><b>Boxes.</b> The block returns absolute continuous {@code x1 y1 x2 y2} in the input image's
 * pixels; the translator gives DJL's {@code Rectangle}s, {@code x, y, width, height} as fractions of the
 * image's width and height.
 *
 * <p><b>Layering.</b> An adapter over {@link org.rcnn4j.detector}, {@code data} and {@code preprocess};
 * {@code org.rcnn4j.detector} does not import it, and it imports nothing from {@code training},
 * {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.detector.djl;
