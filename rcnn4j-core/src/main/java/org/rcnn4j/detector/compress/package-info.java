/**
 * Test-time compression of a trained detector. {@link org.rcnn4j.detector.compress.SvdCompression}
 * replaces the box head's fc6 and fc7 by their truncated SVD (Fast R-CNN §3.1: a u×v layer becomes two,
 * of t(u + v) weights in all; with fc6 at t = 1024 and fc7 at t = 256, VGG16's detection time fell by
 * over 30 % for 0.3 points of mAP). It builds a new model of the same kind whose config records the
 * ranks ({@link org.rcnn4j.config.RoiConfig#svdFc6()}, {@link org.rcnn4j.config.RoiConfig#svdFc7()}),
 * loads the factors into {@link org.rcnn4j.modeling.roiheads.FactorisedLinear} layers and copies every
 * other parameter. The factorisation itself is {@link org.rcnn4j.linalg.TruncatedSvd}.
 *
 * <p><b>Layering.</b> Builds on {@link org.rcnn4j.detector}, {@code config}, {@code linalg} and
 * {@code modeling}; {@code org.rcnn4j.detector} does not import it, and it imports nothing from
 * {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.detector.compress;
