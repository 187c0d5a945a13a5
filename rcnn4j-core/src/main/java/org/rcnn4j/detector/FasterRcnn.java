package org.rcnn4j.detector;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.modeling.rpn.RpnHead;

/**
 * Faster R-CNN (Ren et al. 2015): the backbone's stride-16 map shared by a Region Proposal Network
 * (§3.1) and Fast R-CNN's region stage. A composition of shared stages ({@link TwoStageDetector}):
 * {@link SingleMapFeatures}, {@link RpnProposals} with k anchors per position, and {@link RoiHeads}
 * pooling from the one map; the paper's rules live in {@link FasterRcnnConfig}.
 */
public final class FasterRcnn extends TwoStageDetector {
    /**
     * {@code faster-rcnn}: the data-planned {@link FasterRcnnConfig#planned} config by default (scale
     * jitter about the planned scale); joint or 4-step alternating training (§3.2); an fc or C5 box head.
     */
    public static final DetectorKind KIND = DetectorKind.of("faster-rcnn", FasterRcnnConfig.class, FasterRcnnConfig::planned,
            FasterRcnn::create).withSchedules(DetectorKind.JOINT, DetectorKind.ALTERNATING)
            .withBoxHeads(BoxHeadType.FC, BoxHeadType.C5);

    private final RegionProposalNetwork rpn;

    private FasterRcnn(FasterRcnnConfig config, NDManager manager, Backbone backbone, RegionProposalNetwork rpn,
            RoiHeads roiHeads) {
        super(KIND.name(), config, manager, new SingleMapFeatures(backbone), new RpnProposals(rpn), roiHeads);
        this.rpn = rpn;
    }

    /** A new model with freshly initialised weights; every random draw follows {@code seed}. */
    public static FasterRcnn create(FasterRcnnConfig config, long seed) {
        return create(config, seed, null);
    }

    /**
     * A new model whose backbone starts from pre-trained weights (R-CNN §2.3: supervised
     * pre-training, then domain-specific fine-tuning); the RPN and the class and box layers are
     * initialised fresh, fc6 and fc7 too unless the file holds fitting ones ({@link PretrainedHead}).
     *
     * @param backboneWeights a file written by {@code pretrain}, or null for a backbone from scratch
     * @throws org.rcnn4j.io.BadInputException when the file is damaged or holds another backbone
     */
    public static FasterRcnn create(FasterRcnnConfig config, long seed, Path backboneWeights) {
        config.validate();
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config, seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            int channels = backbone.output().channels();
            int stride = backbone.output().stride();
            DetectorParts.seedEngine(seed);
            RpnHead rpnHead = DetectorParts.rpnHead(channels, config.anchors().perCell(), manager);
            RegionProposalNetwork rpn = DetectorParts.rpn(config.rpn(), rpnHead,
                    List.of(DetectorParts.rpnLevel(config.anchors().sizes(), config.anchors().ratios(), stride)));
            RoiHeads roiHeads = DetectorParts.roiHeads(config, DetectorParts.singleMapPooler(config.roi(), stride), start,
                    channels, manager);
            return new FasterRcnn(config, manager, backbone, rpn, roiHeads);
        });
    }

    @Override
    public FasterRcnnConfig config() {
        return (FasterRcnnConfig) super.config();
    }

    /** The Region Proposal Network on the shared map. */
    public RegionProposalNetwork rpn() {
        return rpn;
    }
}
