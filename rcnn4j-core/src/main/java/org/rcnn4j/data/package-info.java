/**
 * Detection datasets in memory and the files around them. {@link org.rcnn4j.data.Dataset} holds
 * {@link org.rcnn4j.data.Category}s and {@link org.rcnn4j.data.ImageRecord}s with their
 * {@link org.rcnn4j.data.Annotation}s, whatever the source; {@link org.rcnn4j.data.DatasetReader} reads
 * the command line's DATA (a COCO JSON file or a Pascal VOC directory); {@link org.rcnn4j.data.Detection}
 * is one detected object, a detector's output and an evaluation's input; {@link org.rcnn4j.data.ProposalsFile}
 * streams precomputed region proposals per image ({@link org.rcnn4j.box.Proposals}) to and from JSON.
 * The formats are in {@link org.rcnn4j.data.coco} and {@link org.rcnn4j.data.voc}, generated datasets
 * in {@link org.rcnn4j.data.synth}.
 *
 * <p><b>Conventions.</b> Boxes are absolute continuous {@code x1 y1 x2 y2} in the original image's
 * pixels ({@code w = x2 - x1}); each format converts at its edge. Category ids are the dataset's own;
 * detectors use the contiguous class index, 0 for background and 1..K for the categories in
 * {@link org.rcnn4j.data.Dataset#categories()} order ({@link org.rcnn4j.data.Dataset#classIndex},
 * {@link org.rcnn4j.data.Dataset#categoryOfClass}). Records hold no pixels: nothing here decodes an
 * image, and {@link org.rcnn4j.data.ImageFiles} only checks that the files are there.
 *
 * <p><b>Bad records.</b> Readers check every box ({@link org.rcnn4j.data.BoxBounds}) and field. Per
 * {@link org.rcnn4j.data.ReadOptions} a bad record either throws {@link org.rcnn4j.io.BadInputException}
 * naming the file and the field, or is left out and counted in the {@link org.rcnn4j.data.ReadResult}.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.io}, {@code org.rcnn4j.box} and its own format
 * subpackages (for {@link org.rcnn4j.data.DatasetReader}); nothing from {@code detector},
 * {@code training}, {@code pretrain} or the CLI. Never prints or exits.
 */
package org.rcnn4j.data;
