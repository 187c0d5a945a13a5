/**
 * Detection and proposal evaluation in plain Java; the detection metrics reproduce the numbers of
 * their reference implementations:
 *
 * <ul>
 *   <li>{@link org.rcnn4j.evaluation.VocEvaluator}: Pascal VOC AP per class and mAP by the rules of
 *       py-faster-rcnn's {@code voc_eval.py} (IoU above 0.5, difficult objects neither true nor false
 *       positives), with the AP rule of {@link org.rcnn4j.evaluation.VocMetric} (VOC2007's 11 points, or
 *       the area under the curve), giving a {@link org.rcnn4j.evaluation.VocEvaluation} of
 *       {@link org.rcnn4j.evaluation.PrecisionRecall} curves;</li>
 *   <li>{@link org.rcnn4j.evaluation.CocoEvaluator}: the 12 numbers of the COCO API's bbox
 *       {@code COCOeval.summarize()}, with per-class AP and curves
 *       ({@link org.rcnn4j.evaluation.CocoEvaluation});</li>
 *   <li>{@link org.rcnn4j.evaluation.ProposalRecall}: recall of each image's top-N
 *       {@link org.rcnn4j.box.Proposals} at an IoU threshold (Faster R-CNN §4.1) and average recall over
 *       IoU 0.50:0.05:0.95 (FPN Table 1's AR);</li>
 *   <li>{@link org.rcnn4j.evaluation.ResultsReader} and {@link org.rcnn4j.evaluation.ResultsWriter}: COCO
 *       results JSON and VOC devkit {@code comp4_det_<split>_<class>.txt} files, written so that reading
 *       them back gives the same floats.</li>
 * </ul>
 *
 * <p><b>Conventions.</b> Detections ({@link org.rcnn4j.data.Detection}) and ground truth
 * ({@link org.rcnn4j.data.Dataset}) are absolute continuous {@code x1 y1 x2 y2} in original-image
 * pixels with the dataset's category ids; VOC's 1-based inclusive pixels and COCO's {@code [x, y, w, h]}
 * appear only at the file edges. Results are fractions in [0, 1], and -1 where a class or cell has no
 * ground truth (COCO's convention). Malformed results files raise {@link org.rcnn4j.io.BadInputException}.
 *
 * <p><b>Layering.</b> Imports {@code data}, {@code box} and {@code io}, and knows nothing of detectors,
 * so any model's results files can be scored; nothing from {@code detector}, {@code training},
 * {@code pretrain} or the CLI. Deterministic; never prints or exits.
 */
package org.rcnn4j.evaluation;
