package org.rcnn4j.detector;

import java.nio.file.Path;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.roiheads.RoiHeads;

/**
 * Fast R-CNN (Girshick 2015): the backbone's stride-16 map computed once per image, each external
 * proposal RoI-max-pooled to 7×7 from it, and one head (fc6, fc7, softmax over K+1, class-specific
 * boxes) trained in a single stage by the multi-task loss (eq. 1). A composition of shared stages
 * ({@link TwoStageDetector}): {@link SingleMapFeatures}, {@link ExternalProposalStage} and
 * {@link RoiHeads}; the paper's rules live in {@link FastRcnnConfig}.
 *
 * <p>The first {@code frozenStages} backbone stages get no gradient (§4.5 "Which layers to
 * fine-tune?": conv1 is left untrained for the smaller networks; the first layers are generic, and
 * updating them buys nothing while it costs time and memory). Training draws one of
 * {@code input.trainScales} per image; testing with several {@code pyramid.testScales} pools each
 * RoI from the scale where its area is nearest 224² (§5.2, {@link ImagePyramidDetection}).
 */
public final class FastRcnn extends TwoStageDetector implements ExternalProposals {
    /**
     * {@code fast-rcnn}: {@link FastRcnnConfig#planned} by default, trained at base rate 0.02 for at
     * least 4500 iterations; external proposals. On 200 {@code shapes} images (tiny) these took
     * voc07 from 0.773 (the paper's RoI max pooling at the scale planned for 32-pixel small objects,
     * 3000 iterations at the shipped tiny's 0.04) to 0.859: RoIAlign at the scale for 40-pixel ones
     * 0.835, at base rate 0.02 0.840, for 4500 iterations 0.859 (training seed 1; 0.831 at seed 0).
     * Background RoIs from IoU 0 rather than the paper's 0.1 then took training seed 0 from 0.845 to
     * 0.861 at the same 7 minutes on 2 cores. On three data seeds scale jitter about the planned scale
     * (448, 512, 576) then took 0.861, 0.872 and 0.816 to 0.869, 0.882 and 0.844 tested at 512, and
     * the same models tested at 576 scored 0.887, 0.899 and 0.855 (bench/results/small_data_defaults.md).
     */
    public static final DetectorKind KIND = DetectorKind.of("fast-rcnn", FastRcnnConfig.class,
            FastRcnnConfig::planned, FastRcnn::create)
            .withExternalProposals().withBoxHeads(BoxHeadType.FC, BoxHeadType.C5)
            .withBaseLr(FastRcnnConfig.BASE_LR).withMinIterations(FastRcnnConfig.MIN_ITERATIONS);

    private final ExternalProposalStage proposals;

    private FastRcnn(FastRcnnConfig config, ai.djl.ndarray.NDManager manager, Backbone backbone,
            ExternalProposalStage proposals, RoiHeads roiHeads) {
        super(KIND.name(), config, manager, new SingleMapFeatures(backbone), proposals, roiHeads);
        this.proposals = proposals;
    }

    /**
     * A new model, its first {@code frozenStages} backbone stages frozen; every random draw follows
     * {@code seed}.
     *
     * @param backboneWeights a file written by {@code pretrain} (the paper starts from ImageNet
     *                        weights, §2.2), or null for a backbone from scratch
     * @throws org.rcnn4j.io.BadInputException when the file is damaged or holds another backbone
     */
    public static FastRcnn create(FastRcnnConfig config, long seed, Path backboneWeights) {
        config.validate();
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config, seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            DetectorParts.seedEngine(seed);
            RoiHeads roiHeads = DetectorParts.roiHeads(config, DetectorParts.singleMapPooler(config.roi(),
                    backbone.output().stride()), start, backbone.output().channels(), manager);
            return new FastRcnn(config, manager, backbone, new ExternalProposalStage(config.maxProposals()), roiHeads);
        });
    }

    @Override
    public FastRcnnConfig config() {
        return (FastRcnnConfig) super.config();
    }

    @Override
    public void useProposals(org.rcnn4j.proposals.ProposalSource source) {
        proposals.useProposals(source);
    }

    @Override
    public java.util.Optional<org.rcnn4j.proposals.ProposalSource> proposalSource() {
        return proposals.proposalSource();
    }
}
