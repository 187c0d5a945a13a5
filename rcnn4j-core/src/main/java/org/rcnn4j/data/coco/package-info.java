/**
 * COCO instances JSON ({@code images}, {@code annotations}, {@code categories}) to and from a
 * {@link org.rcnn4j.data.Dataset}. {@link org.rcnn4j.data.coco.CocoReader} streams a file of any size
 * with Jackson's parser: top-level keys may come in any order (annotations are buffered in primitive
 * columns until their images are known), and {@code segmentation}, {@code info}, {@code licenses} and
 * unknown fields are skipped unparsed. {@link org.rcnn4j.data.coco.CocoWriter} writes one record per
 * line, atomically, with bytes that depend on the dataset alone.
 *
 * <p><b>Conversions.</b> {@code bbox [x, y, w, h]} is {@code x1 = x, y1 = y, x2 = x + w, y2 = y + h},
 * absolute continuous pixels as in {@link org.rcnn4j.data.Annotation}. Categories are ordered by id
 * (ids may have gaps), so class index 1 is the smallest id. {@code iscrowd} and {@code area} are kept
 * for COCO evaluation; {@code difficult} is an rcnn4j extension that carries VOC's flag.
 *
 * <p><b>Errors</b> name the file and the field as spelled in it ({@code annotations[12].bbox}); a bad
 * record fails or is skipped per {@link org.rcnn4j.data.ReadOptions}, while malformed JSON, a bad
 * category or a file without images always fails. COCO results files (detections, not ground truth)
 * are read and written by {@link org.rcnn4j.evaluation.ResultsReader} and
 * {@link org.rcnn4j.evaluation.ResultsWriter}.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.data} and {@code org.rcnn4j.io} only. Never prints or
 * exits.
 */
package org.rcnn4j.data.coco;
