package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.modeling.rpn.RpnOutput;
import org.rcnn4j.preprocess.BatchImage;

/**
 * Proposals from a Region Proposal Network on the shared maps (Faster R-CNN §3.1; on every pyramid
 * level, FPN §4.1). In training the RPN's own loss is computed first, then its proposals are
 * filtered as fixed boxes for the region stage (approximate joint training, §3.2).
 */
final class RpnProposals implements ProposalStage {
    private final RegionProposalNetwork rpn;

    RpnProposals(RegionProposalNetwork rpn) {
        this.rpn = rpn;
    }

    RegionProposalNetwork rpn() {
        return rpn;
    }

    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("rpn_head", rpn.head());
        return m;
    }

    @Override
    public boolean readsFeatures() {
        return true;
    }

    @Override
    public Proposed forTraining(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, RandomGenerator random) {
        RpnOutput out = rpn.forward(ps, maps, true);
        LossTerms loss = rpn.computeLoss(out, images, random);
        return new Proposed(rpn.filterProposals(out, images, true), loss);
    }

    @Override
    public List<Proposals> forTest(ParameterStore ps, List<NDArray> maps, List<BatchImage> images, StageTimes times) {
        RpnOutput out = rpn.forward(ps, maps, false);
        times.lap("rpn_head");
        List<Proposals> proposals = rpn.filterProposals(out, images, false);
        times.lap("proposals");
        return proposals;
    }
}
