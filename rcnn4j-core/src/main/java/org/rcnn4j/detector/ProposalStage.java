package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.preprocess.BatchImage;

/**
 * Where a two-stage detector's region proposals come from: a Region Proposal Network on the shared
 * maps ({@link RpnProposals}: Faster R-CNN, FPN), or outside the network ({@link ExternalProposalStage}:
 * a proposals file or selective search, for R-CNN, SPP-net and Fast R-CNN). Proposals are in each
 * image's input frame (resized, and flipped in training).
 */
public interface ProposalStage {
    /** Proposals and the stage's own loss terms (none for external proposals). */
    record Proposed(List<Proposals> proposals, LossTerms losses) {}

    /** The stage's blocks by name, in save order ({@code rpn_head}; none for external proposals). */
    Map<String, Block> blocks();

    /**
     * Whether the proposals are computed from the feature maps. External proposals are not, so a
     * detector can look them up before running the backbone (and skip it for an image without any).
     */
    boolean readsFeatures();

    /**
     * Training proposals of a batch and the stage's loss.
     *
     * @param maps the batch's feature maps (unused when {@link #readsFeatures()} is false; may be null then)
     */
    Proposed forTraining(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, RandomGenerator random);

    /**
     * Test-time proposals of a batch, best first, charging the stage's wall time to {@code times}
     * ({@code rpn_head} and {@code proposals}, or {@code proposals}).
     *
     * @param maps the batch's feature maps (may be null when {@link #readsFeatures()} is false)
     */
    List<Proposals> forTest(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, StageTimes times);
}
