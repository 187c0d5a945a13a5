/**
 * Supervised pre-training of a backbone on image labels (R-CNN §2.3), standing in for the ImageNet
 * pre-training the papers start from, which rcnn4j cannot ship. {@link org.rcnn4j.pretrain.BackbonePretrainer}
 * trains a backbone with a {@code ClassificationHead} on the ten Fashion-MNIST labels
 * ({@link org.rcnn4j.data.synth.FashionMnist}), each item rendered like an object of the {@code fashion}
 * detection scenes ({@code ItemRenderer}), then measures accuracy on held-out items; settings are a
 * {@link org.rcnn4j.pretrain.PretrainConfig}, the learning rate a
 * {@link org.rcnn4j.pretrain.WarmupCosineSchedule}.
 *
 * <p>The head either pools the map globally (only the backbone is kept) or RoI-pools each item's box
 * through fc6 and fc7, as a detector's {@link org.rcnn4j.modeling.roiheads.TwoMlpHead} does; fc6 and
 * fc7 are then kept ({@link org.rcnn4j.modeling.backbone.PretrainedFc}) and can start the
 * detector's box head, as Fast R-CNN §2.2 starts its head from the pre-trained fully connected layers.
 * The outcome is a {@link org.rcnn4j.pretrain.PretrainResult}; its weights file is
 * {@link org.rcnn4j.modeling.backbone.BackboneWeights}, with a JSON sidecar
 * ({@link org.rcnn4j.pretrain.PretrainedInfo}: backbone, image size, normalisation, classifier, accuracy).
 *
 * <p><b>Training</b> runs on the detectors' SGD loop ({@link org.rcnn4j.training.SgdLoop},
 * {@link org.rcnn4j.training.Sgd}): a NaN or infinite loss stops the run before any weight changes
 * ({@link org.rcnn4j.training.TrainingDivergedException}). Weights, item order and each image's
 * augmentation follow from the seed alone.
 *
 * <p><b>Layering.</b> Uses {@code modeling.backbone}, {@code modeling.poolers}, {@code modeling.losses},
 * {@code data.synth}, {@code preprocess}, {@code io} and {@code training}'s SGD loop; no lower package,
 * nor {@code detector} or {@code training}, imports it. Never prints or exits: progress goes to a
 * {@link org.rcnn4j.pretrain.PretrainProgress}.
 */
package org.rcnn4j.pretrain;
