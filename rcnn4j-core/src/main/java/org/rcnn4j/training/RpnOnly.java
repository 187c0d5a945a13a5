package org.rcnn4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.preprocess.BatchImage;

/**
 * A Faster R-CNN seen as a Region Proposal Network alone (Faster R-CNN §3.1.3, steps 1 and 3 of the
 * 4-step alternating training, §3.2): its backbone and RPN head, trained by the RPN's loss only
 * (rpnCls + rpnBox; the head terms are null). The box head is neither run nor updated. Which of
 * the two blocks learn is decided by their frozen state: step 3 freezes the backbone.
 */
public final class RpnOnly implements TrainableDetector {
    private final FasterRcnn network;

    /** @param network the network whose backbone and RPN head are trained */
    public RpnOnly(FasterRcnn network) {
        this.network = network;
    }

    /** {@code backbone} and {@code rpn_head}, the blocks the RPN's loss reaches. */
    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", network.backbone());
        m.put("rpn_head", network.rpn().head());
        return m;
    }

    @Override
    public NDManager manager() {
        return network.manager();
    }

    /**
     * Faster R-CNN eq. 1 over the batch's sampled anchors.
     *
     * @param images (N, 3, H, W) normalised, padded input
     */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<BatchImage> meta, RandomGenerator random) {
        NDArray features = network.backbone().features(ps, images, true);
        RegionProposalNetwork rpn = network.rpn();
        return rpn.computeLoss(rpn.forward(ps, features, true), meta, random);
    }
}
