/**
 * From image files to detector input: decoding ({@link org.rcnn4j.preprocess.ImageDecoder}), Fast
 * R-CNN's resize rule ({@link org.rcnn4j.preprocess.Resize}), flipping, normalisation, and the
 * seeded, prefetching {@link org.rcnn4j.preprocess.DetectionLoader} that yields
 * {@link org.rcnn4j.preprocess.DetectionBatch}es.
 *
 * <p>Shapes: N images per batch, R objects per image, K classes; pixels NCHW float, boxes R×4
 * absolute continuous {@code x1 y1 x2 y2} in the resized image. Everything here is plain Java
 * arrays; conversion to NDArrays happens at the DJL boundary.
 */
package org.rcnn4j.preprocess;
