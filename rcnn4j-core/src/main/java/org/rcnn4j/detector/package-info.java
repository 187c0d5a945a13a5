/**
 * The detectors: one meta-architecture, its compositions and their configs, and the saved model.
 *
 * <p>{@link org.rcnn4j.detector.TwoStageDetector} is the meta-architecture (torchvision's and
 * Detectron2's {@code GeneralizedRCNN}): a {@link org.rcnn4j.detector.FeatureStage}
 * ({@link org.rcnn4j.detector.SingleMapFeatures}, one stride-16 map;
 * {@link org.rcnn4j.detector.PyramidFeatures}, FPN's P2..P6), a {@link org.rcnn4j.detector.ProposalStage}
 * ({@link org.rcnn4j.detector.RpnProposals}, Faster R-CNN §3.1 and FPN §4.1;
 * {@link org.rcnn4j.detector.ExternalProposalStage}, a proposals file or selective search) and the
 * region stage {@link org.rcnn4j.modeling.roiheads.RoiHeads}; training sums the stages' loss terms
 * (approximate joint training, Faster R-CNN §3.2). {@link org.rcnn4j.detector.Rcnn} (R-CNN 2014),
 * {@link org.rcnn4j.detector.SppNet} (SPP-net 2014), {@link org.rcnn4j.detector.FastRcnn} (Fast R-CNN
 * 2015), {@link org.rcnn4j.detector.FasterRcnn} (Faster R-CNN 2015) and {@link org.rcnn4j.detector.Fpn}
 * (FPN 2017) are short compositions with their paper's defaults in {@link org.rcnn4j.detector.RcnnConfig},
 * {@link org.rcnn4j.detector.SppNetConfig}, {@link org.rcnn4j.detector.FastRcnnConfig},
 * {@link org.rcnn4j.detector.FasterRcnnConfig} and {@link org.rcnn4j.detector.FpnConfig}; each declares
 * a {@link org.rcnn4j.detector.DetectorKind} (its name on the command line and in {@code model.json}),
 * registered in {@link org.rcnn4j.detector.DetectorKinds}. R-CNN's feature stage is the image itself
 * ({@link org.rcnn4j.detector.RegionImageFeatures}): its region stage warps each proposal and runs the
 * whole CNN on it. SPP-net computes the map once per image (and scale) and pools each proposal by a
 * spatial pyramid. Both are {@link org.rcnn4j.detector.RegionFeatureDetector}s:
 * {@link org.rcnn4j.detector.RegionFeatures} are the fc7 and pooled features their SVMs and box
 * regressors train on.
 *
 * <p>Around them: {@link org.rcnn4j.detector.DetectorParts} builds the stages from config sections;
 * {@link org.rcnn4j.detector.InputPlan} plans image scale and anchor sizes from the training data;
 * {@link org.rcnn4j.detector.PretrainedHead} decides whether pre-trained fc6 and fc7 start the box head
 * (Fast R-CNN §2.2); {@link org.rcnn4j.detector.ImagePyramidDetection} is the test-time image pyramid
 * (SPP-net §3.1, Fast R-CNN §5.2), over {@link org.rcnn4j.detector.PyramidPooling}; {@link org.rcnn4j.detector.ModelDirectory} and
 * {@link org.rcnn4j.detector.ModelWeights} are the saved format ({@code model.json}, {@code weights.bin});
 * {@link org.rcnn4j.detector.Detector} is the loaded-model API for services. DJL's {@code Predictor}
 * adapters are in {@link org.rcnn4j.detector.djl}, SVD compression in {@link org.rcnn4j.detector.compress}.
 *
 * <p><b>Shapes.</b> N images per batch, R RoIs per image, A anchors per position, K object classes
 * plus class 0 for background. Boxes are absolute continuous {@code x1 y1 x2 y2}: network-input pixels
 * inside the model, original-image pixels in the {@link org.rcnn4j.data.Detection}s it returns.
 *
 * <p><b>Layering.</b> Builds on {@code modeling.*}, {@code config}, {@code box}, {@code data},
 * {@code preprocess} and {@code proposals}; imports nothing from {@code training}, {@code pretrain}, its
 * own subpackages or the CLI ({@code training} imports this package, never the reverse, through
 * {@link org.rcnn4j.detector.TrainableDetector}). Never prints or exits; bad input raises
 * {@link org.rcnn4j.io.BadInputException}.
 */
package org.rcnn4j.detector;
