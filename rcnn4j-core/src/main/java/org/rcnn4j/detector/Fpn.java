package org.rcnn4j.detector;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.FeatureSpec;
import org.rcnn4j.modeling.neck.FeaturePyramid;
import org.rcnn4j.modeling.poolers.LevelMapper;
import org.rcnn4j.modeling.poolers.MultiLevelRoIPooler;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.modeling.rpn.RpnHead;

/**
 * Feature Pyramid Networks for object detection (Lin et al. 2017): Faster R-CNN's composition with
 * a pyramid for features ({@link PyramidFeatures}: the backbone's C2..C5, then P2..P6), one RPN head
 * shared by P2..P6 with one anchor size per level (§4.1), and the region stage pooling each RoI
 * from the level eq. 1 assigns it ({@link MultiLevelRoIPooler}, §4.2). Trained end to end
 * (approximate joint training, as Faster R-CNN §3.2); the paper's rules live in {@link FpnConfig}.
 */
public final class Fpn extends TwoStageDetector {
    /** {@code fpn}: the data-planned {@link FpnConfig#planned} config by default (scale jitter about the planned scale). */
    public static final DetectorKind KIND = DetectorKind.of("fpn", FpnConfig.class, FpnConfig::planned, Fpn::create)
            .withOnlyBoxHeads("FPN's head is fc6 and fc7 (FPN §4.2)", BoxHeadType.FC);

    /**
     * The side in pixels the data plan brings small objects to: 5 cells of the stride-4 P2, where a
     * single-scale detector needs 32 (2 cells of its stride-16 map). Measured with the tiny backbone
     * on {@code shapes} (128-pixel images, objects from 8 pixels), 1500 iterations: s = 128 gave voc07
     * 0.19, s = 256 (what this target plans) 0.40 (2026-11-24, commit b9d731e).
     */
    static final double SMALL_OBJECT_TARGET = 20;

    private final RegionProposalNetwork rpn;
    private final FeaturePyramid pyramid;

    private Fpn(FpnConfig config, NDManager manager, Backbone backbone, FeaturePyramid pyramid, RegionProposalNetwork rpn,
            RoiHeads roiHeads) {
        super(KIND.name(), config, manager, new PyramidFeatures(backbone, pyramid), new RpnProposals(rpn), roiHeads);
        this.rpn = rpn;
        this.pyramid = pyramid;
    }

    /** A new model with freshly initialised weights; every random draw follows {@code seed}. */
    public static Fpn create(FpnConfig config, long seed) {
        return create(config, seed, null);
    }

    /**
     * A new model whose backbone starts from pre-trained weights; the pyramid and heads are new.
     *
     * @param backboneWeights a file written by {@code pretrain}, or null for a backbone from scratch
     * @throws org.rcnn4j.io.BadInputException when the file is damaged or holds another backbone
     */
    public static Fpn create(FpnConfig config, long seed, Path backboneWeights) {
        config.validate();
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config, seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            int d = config.pyramid().channels();
            FeaturePyramid pyramid = new FeaturePyramid(backbone.pyramid(), d);
            pyramid.initialize(manager, seed ^ 0x5DEECE66DL);
            DetectorParts.seedEngine(seed);
            RpnHead rpnHead = DetectorParts.rpnHead(d, config.pyramid().perCell(), manager);
            RegionProposalNetwork rpn = DetectorParts.rpn(config.rpn(), rpnHead, rpnLevels(config, pyramid.outputSpecs()));
            MultiLevelRoIPooler pooler = new MultiLevelRoIPooler(DetectorParts.roiPooler(config.roi()),
                    new LevelMapper(2, 5, config.pyramid().canonicalSize(), LevelMapper.CANONICAL_LEVEL));
            RoiHeads roiHeads = DetectorParts.roiHeads(config, pooler, start, d, manager);
            return new Fpn(config, manager, backbone, pyramid, rpn, roiHeads);
        });
    }

    /** P2..P6: one anchor size per level × the ratios (§4.1). */
    private static List<RegionProposalNetwork.Level> rpnLevels(FpnConfig config, List<FeatureSpec> levels) {
        List<RegionProposalNetwork.Level> out = new ArrayList<>();
        FpnConfig.Pyramid p = config.pyramid();
        for (int l = 0; l < FpnConfig.RPN_LEVELS; l++) {
            float[] cell = AnchorGenerator.cellAnchors(new double[] {p.anchorSizes()[l]}, DetectorParts.toDoubles(p.anchorRatios()));
            if (p.roundAnchors()) for (int i = 0; i < cell.length; i++) cell[i] = (float) Math.rint(cell[i]);
            out.add(new RegionProposalNetwork.Level(cell, levels.get(l).stride(), p.stridesFromSizes()));
        }
        return out;
    }

    @Override
    public FpnConfig config() {
        return (FpnConfig) super.config();
    }

    /** The top-down pathway and lateral connections. */
    public FeaturePyramid pyramid() {
        return pyramid;
    }

    /** The Region Proposal Network on P2..P6. */
    public RegionProposalNetwork rpn() {
        return rpn;
    }
}
