/**
 * From image files to detector input: decoding into 8-bit {@link org.rcnn4j.preprocess.RgbImage}s
 * ({@link org.rcnn4j.preprocess.ImageDecoder}, which rejects truncated PNG and JPEG files), Fast R-CNN's
 * resize rule ({@link org.rcnn4j.preprocess.Resize}, §2.3 and §5.2), horizontal flipping
 * ({@link org.rcnn4j.preprocess.Flip}, §2.3), training augmentation of pixels
 * ({@link org.rcnn4j.preprocess.PhotometricJitter}: brightness, contrast, saturation, hue, grayscale) and
 * of pixels with boxes ({@link org.rcnn4j.preprocess.RandomCrop}), drawn per image as an
 * {@link org.rcnn4j.preprocess.Augmentation}, normalisation
 * ({@link org.rcnn4j.preprocess.Normalize}),
 * and the seeded, prefetching {@link org.rcnn4j.preprocess.DetectionLoader} (set up by a
 * {@link org.rcnn4j.preprocess.LoaderConfig}) that yields {@link org.rcnn4j.preprocess.DetectionBatch}es,
 * each image described by a {@link org.rcnn4j.preprocess.BatchImage} (its crop, scale, flip and ground truth).
 *
 * <p><b>Shapes.</b> N images per batch, R objects per image, K classes (class indices 1..K, 0 never
 * occurs in ground truth); pixels NCHW float, zero-padded to the batch's largest H and W; boxes R×4
 * absolute continuous {@code x1 y1 x2 y2} in the resized, maybe cropped and flipped image (original
 * boxes less the crop offset, times the scale). Everything here is plain Java arrays; conversion to NDArrays happens at the DJL boundary.
 *
 * <p><b>Determinism.</b> Epoch order is drawn from (seed, epoch), each image's scale, flip, crop and
 * colour jitter from (seed, epoch, image index), so batches do not depend on the number of decoding threads. An unreadable image is a
 * {@link org.rcnn4j.io.BadInputException} naming the file, or is skipped and counted.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.data} and {@code org.rcnn4j.io} only; nothing from
 * {@code detector}, {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.preprocess;
