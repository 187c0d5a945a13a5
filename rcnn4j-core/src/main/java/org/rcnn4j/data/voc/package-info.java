/**
 * Pascal VOC directories to and from a {@link org.rcnn4j.data.Dataset}.
 * {@link org.rcnn4j.data.voc.VocReader} reads {@code Annotations/<stem>.xml} for the images listed in a
 * split file {@code ImageSets/Main/<split>.txt}, the image files being in {@code JPEGImages/};
 * {@link org.rcnn4j.data.voc.VocWriter} writes the annotation files and the split file, each
 * atomically; {@link org.rcnn4j.data.voc.VocClasses} holds the 20 standard classes in the devkit's order.
 *
 * <p><b>Conversions.</b> VOC's {@code xmin..xmax} are 1-based inclusive pixel indices, so the
 * continuous box is {@code x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax}; the writer inverts
 * it. The {@code difficult} flag is kept ({@link org.rcnn4j.data.Annotation#difficult()}): such
 * objects are neither true nor false positives in VOC evaluation. Classes get ids 1..K in the order
 * {@link org.rcnn4j.data.voc.VocReader} documents (the names given, the standard 20, or the names read).
 *
 * <p><b>Errors.</b> XML is read with a SAX parser that refuses DOCTYPEs; messages name the file, the
 * line and the element path ({@code object[2]/bndbox/xmax}). A bad record fails or is skipped per
 * {@link org.rcnn4j.data.ReadOptions}; malformed XML, a missing split file or an empty split always
 * fails. VOC devkit results files ({@code comp4_det_<split>_<class>.txt}) belong to
 * {@code org.rcnn4j.evaluation}.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.data} and {@code org.rcnn4j.io} only. Never prints or
 * exits.
 */
package org.rcnn4j.data.voc;
