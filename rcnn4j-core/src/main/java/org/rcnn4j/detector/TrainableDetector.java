package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.preprocess.BatchImage;

/** What SGD training ({@code org.rcnn4j.training.DetectorTrainer}) needs of a detector: its blocks and its loss for a batch. */
public interface TrainableDetector {
    /** The blocks by name, in the order their parameters are saved. */
    Map<String, Block> blocks();

    /** The manager holding the parameters. */
    NDManager manager();

    /**
     * The loss terms of one batch, with autograd recording (the caller holds a GradientCollector).
     *
     * @param images (N, 3, H, W) normalised, padded input in the caller's per-iteration manager
     */
    LossTerms computeLosses(ParameterStore ps, NDArray images, List<BatchImage> meta, RandomGenerator random);
}
