/**
 * Training detectors into model directories. {@link org.rcnn4j.training.DetectorTraining} is a whole
 * run, the library's {@code rcnn4j train}: a config (given, or planned from the data), training by a
 * schedule ({@code DetectorTraining.run(request, schedule, ...)}: approximate joint training, Faster
 * R-CNN §3.2, the 4-step alternating training of {@link org.rcnn4j.training.AlternatingTraining},
 * same section, or R-CNN's and SPP-net's multi-stage pipeline, {@link org.rcnn4j.training.RcnnTraining}), validation,
 * and an {@link org.rcnn4j.detector.ModelDirectory}. A run is a
 * {@link org.rcnn4j.training.TrainingPipeline} of {@link org.rcnn4j.training.TrainingStage}s: SGD
 * ({@link org.rcnn4j.training.SgdStage}), SPP-net's caching of pyramid-pooled windows
 * ({@link org.rcnn4j.training.PooledWindowCaching}) and fine-tuning of its fc layers on them
 * ({@link org.rcnn4j.training.CachedFineTuning}), or R-CNN's and SPP-net's caching of region features
 * ({@link org.rcnn4j.training.RegionFeatureCaching} into {@link org.rcnn4j.training.FeatureCache}s),
 * SVM training with hard negative mining ({@link org.rcnn4j.training.SvmTraining}) and box-regressor
 * fitting ({@link org.rcnn4j.training.BoxRegressorFitting}); {@link org.rcnn4j.training.PipelineState}
 * records the finished stages, so that a resume skips them.
 *
 * <ul>
 *   <li>{@link org.rcnn4j.training.DetectorTrainer}: a detector's SGD on a dataset's batches, over
 *       {@link org.rcnn4j.training.SgdLoop} (one sub-manager per iteration, a NaN/Inf guard before any
 *       update, {@link org.rcnn4j.training.TrainingDivergedException}), with checkpoints and resume
 *       ({@link org.rcnn4j.training.Checkpoints});</li>
 *   <li>views of a Faster R-CNN for the alternating steps: {@link org.rcnn4j.training.RpnOnly}
 *       (steps 1 and 3) and {@link org.rcnn4j.training.FastRcnnOnProposals} (steps 2 and 4, on a
 *       fixed RPN's proposals);</li>
 *   <li>the solver: {@link org.rcnn4j.training.Sgd} (Caffe's momentum and weight decay, no decay on
 *       biases and norms), {@link org.rcnn4j.training.LearningRateSchedule} (warm-up, then step
 *       decay) and {@link org.rcnn4j.training.TrainingConfig} (iterations, N images per batch, rates,
 *       flip, seed);</li>
 *   <li>{@link org.rcnn4j.training.TrainingSpeed}: an iteration's wall time against the backbone's own
 *       forward and backward pass.</li>
 * </ul>
 *
 * <p><b>Determinism.</b> Every random choice of training (batch content, scales, flips, anchor and RoI
 * sampling) is a function of (seed, iteration), so a resumed run continues exactly as an uninterrupted
 * one would. Checkpoint files are written atomically, the state last.
 *
 * <p><b>Layering.</b> Imports {@code org.rcnn4j.detector} (never the reverse: a model is trained
 * through {@link org.rcnn4j.detector.TrainableDetector}) and the lower packages; pre-training uses its
 * SGD loop. Never prints or exits: progress goes to a {@link org.rcnn4j.training.TrainingListener}
 * ({@link org.rcnn4j.training.IterationStats} per iteration), bad input raises
 * {@link org.rcnn4j.io.BadInputException}.
 */
package org.rcnn4j.training;
