package org.rcnn4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.detector.FasterRcnn;
import org.rcnn4j.detector.TrainableDetector;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.preprocess.BatchImage;

/**
 * A Faster R-CNN seen as a Fast R-CNN detection network trained on the proposals of a fixed RPN
 * (steps 2 and 4 of the 4-step alternating training, Faster R-CNN §3.2): the detector's backbone
 * and box head, trained by the head's loss only (roiCls + roiBox; the RPN terms are null).
 *
 * <p>Proposals are computed on the fly by the proposer's backbone and RPN head, whose parameters
 * the caller freezes, from the very batch the detector trains on: the same scale and the same
 * flip, so they are exactly the boxes that RPN gives for that input. This replaces py-faster-rcnn's
 * proposals computed once per image and mirrored for flipped images (its {@code rpn_generate}). The
 * proposer's training filter is used (top 2000 after NMS in the paper, py-faster-rcnn's
 * {@code RPN_POST_NMS_TOP_N = 2000} for the generated proposals). When the proposer is the
 * detector itself (step 4: shared, frozen conv layers), the map is computed once.
 */
public final class FastRcnnOnProposals implements TrainableDetector {
    private final FasterRcnn detector;
    private final FasterRcnn proposer;

    /**
     * @param detector the network whose backbone and box head are trained
     * @param proposer the network whose RPN gives the proposals (frozen by the caller); may be {@code detector}
     */
    public FastRcnnOnProposals(FasterRcnn detector, FasterRcnn proposer) {
        this.detector = detector;
        this.proposer = proposer;
    }

    /** {@code backbone} and {@code box_head}, the blocks the head's loss reaches. */
    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", detector.backbone());
        m.put("box_head", detector.roiHeads().weights());
        return m;
    }

    @Override
    public NDManager manager() {
        return detector.manager();
    }

    /**
     * Fast R-CNN eq. 1 over RoIs sampled from the proposer's proposals.
     *
     * @param images (N, 3, H, W) normalised, padded input
     */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<BatchImage> meta, RandomGenerator random) {
        NDArray features = detector.backbone().features(ps, images, true);
        NDArray proposerFeatures = proposer == detector ? features : proposer.backbone().features(ps, images, false);
        RegionProposalNetwork rpn = proposer.rpn();
        List<Proposals> proposals = rpn.filterProposals(rpn.forward(ps, proposerFeatures, false), meta, true);
        return detector.roiHeads().computeLoss(ps, List.of(features), proposals, meta, random);
    }
}
