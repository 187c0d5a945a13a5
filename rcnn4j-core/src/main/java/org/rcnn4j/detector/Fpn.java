package org.rcnn4j.detector;

import org.rcnn4j.modeling.StageTimes;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.FeatureMaps;
import org.rcnn4j.modeling.backbone.FeatureSpec;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.neck.FeaturePyramid;
import org.rcnn4j.modeling.poolers.LevelMapper;
import org.rcnn4j.modeling.poolers.MultiLevelRoIPooler;
import org.rcnn4j.modeling.poolers.RegionFeatures;
import org.rcnn4j.modeling.poolers.RoIPooler;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.modeling.roiheads.RegionHead;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.modeling.rpn.RpnHead;
import org.rcnn4j.modeling.rpn.RpnOutput;
import org.rcnn4j.modeling.sampling.AnchorTargets;
import org.rcnn4j.modeling.sampling.BalancedSampler;
import org.rcnn4j.modeling.sampling.Matcher;
import org.rcnn4j.modeling.rpn.ProposalFilter;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.preprocess.TrainingImage;

/**
 * Feature Pyramid Networks for object detection (Lin et al. 2017): the backbone's C2..C5, a
 * {@link FeaturePyramid} giving P2..P6, one RPN head shared by P2..P6 (§4.1), and a Fast R-CNN head
 * shared by P2..P5, each RoI pooled from the level eq. 1 assigns it ({@link MultiLevelRoIPooler},
 * §4.2). Trained end to end (approximate joint training, as Faster R-CNN §3.2). A short composition
 * of the parts Faster R-CNN uses; the paper's rules live in {@link FpnConfig}.
 *
 * <p>Owns an NDManager holding the parameters; close the model to free them. Per-batch arrays
 * belong to the caller's sub-manager.
 */
public final class Fpn implements DetectorModel {
    /** {@code fpn}: the data-planned {@link FpnConfig#small} config by default. */
    public static final DetectorKind KIND = new DetectorKind() {
        @Override
        public String name() {
            return "fpn";
        }

        @Override
        public Class<FpnConfig> configClass() {
            return FpnConfig.class;
        }

        @Override
        public FpnConfig plan(String backbone, org.rcnn4j.data.Dataset train) {
            InputPlan plan = InputPlan.of(train, SMALL_OBJECT_TARGET);
            return FpnConfig.small(backbone, train.numClasses(), plan.shortSide(), plan.anchorSizes()[0]);
        }

        @Override
        public Fpn create(DetectorConfig config, long seed, Path backboneWeights) {
            if (!(config instanceof FpnConfig c)) {
                throw new IllegalArgumentException("fpn needs an FpnConfig, got " + config.getClass().getSimpleName());
            }
            return Fpn.create(c, seed, backboneWeights);
        }
    };

    /**
     * The side in pixels the data plan brings small objects to: 5 cells of the stride-4 P2, where a
     * single-scale detector needs 32 (2 cells of its stride-16 map). Measured with the tiny backbone
     * on {@code shapes} (128-pixel images, objects from 8 pixels), 1500 iterations: s = 128 gave voc07
     * 0.19, s = 256 (what this target plans) 0.40.
     */
    static final double SMALL_OBJECT_TARGET = 20;

    private final FpnConfig config;
    private final NDManager manager;
    private final Backbone backbone;
    private final FeaturePyramid pyramid;
    private final RegionProposalNetwork rpn;
    private final MultiLevelRoIPooler roiPooler;
    private final RoiHeads roiHeads;

    private Fpn(FpnConfig config, NDManager manager, Backbone backbone, FeaturePyramid pyramid, RpnHead rpnHead,
            RegionHead boxHead) {
        this.config = config;
        this.manager = manager;
        this.backbone = backbone;
        this.pyramid = pyramid;
        this.rpn = rpn(config, pyramid.outputSpecs(), rpnHead);
        FasterRcnnConfig.Roi q = config.roi();
        RoIPooler levelPooler = DetectorParts.pooler(q);
        this.roiPooler = new MultiLevelRoIPooler(levelPooler,
                new LevelMapper(2, 5, config.pyramid().canonicalSize(), LevelMapper.CANONICAL_LEVEL));
        // The head's own single-map pooler is never used: every call passes the pyramid's RegionFeatures.
        this.roiHeads = DetectorParts.roiHeads(q, config.test(), Math.round(1 / roiPooler.scale(0)), boxHead);
    }

    /**
     * The RPN over P2..P6: one anchor size per level × the ratios, Faster R-CNN's labelling over all
     * levels' anchors together, the pre-NMS top-N per level and one NMS over the merged levels.
     */
    private static RegionProposalNetwork rpn(FpnConfig config, List<FeatureSpec> levels, RpnHead head) {
        FasterRcnnConfig.Rpn r = config.rpn();
        double[] ratios = new double[config.pyramid().anchorRatios().length];
        for (int i = 0; i < ratios.length; i++) ratios[i] = config.pyramid().anchorRatios()[i];
        List<RegionProposalNetwork.Level> rpnLevels = new ArrayList<>();
        for (int l = 0; l < FpnConfig.RPN_LEVELS; l++) {
            float[] cell = AnchorGenerator.cellAnchors(new double[] {config.pyramid().anchorSizes()[l]}, ratios);
            rpnLevels.add(new RegionProposalNetwork.Level(cell, levels.get(l).stride()));
        }
        AnchorTargets anchorTargets = new AnchorTargets(new Matcher(r.positiveIoU(), 0f, r.negativeIoU(), true),
                new BalancedSampler(r.batchSize(), r.positiveFraction()), BoxCoder.rcnn(), 0f);
        return new RegionProposalNetwork(head, rpnLevels, anchorTargets,
                new ProposalFilter(r.preNmsTrain(), r.postNmsTrain(), r.nms(), r.minSize(), false, BoxCoder.rcnn()),
                new ProposalFilter(r.preNmsTest(), r.postNmsTest(), r.nms(), r.minSize(), false, BoxCoder.rcnn()),
                r.boxLossWeight(), r.smoothL1Beta());
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
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config.backbone(), seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            int d = config.pyramid().channels();
            FeaturePyramid pyramid = new FeaturePyramid(backbone.pyramid(), d);
            pyramid.initialize(manager, seed ^ 0x5DEECE66DL);
            RpnHead rpnHead = new RpnHead(d, config.pyramid().perCell());
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
            rpnHead.initialize(manager, DataType.FLOAT32, new Shape(1, d, 8, 8));
            if (!config.roi().head().equals(FasterRcnnConfig.Roi.FC_HEAD)) {
                // The pyramid's maps (d channels, every level) are not the input a backbone's C5 stage takes.
                throw new IllegalArgumentException("roi.head: FPN's head is fc6 and fc7 (FPN §4.2), not " + config.roi().head());
            }
            RegionHead boxHead = DetectorParts.boxHead(config.roi(), config.numClasses(), start, d, manager);
            return new Fpn(config, manager, backbone, pyramid, rpnHead, boxHead);
        });
    }

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public FpnConfig config() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Backbone backbone() {
        return backbone;
    }

    public FeaturePyramid pyramid() {
        return pyramid;
    }

    public RegionProposalNetwork rpn() {
        return rpn;
    }

    public RoiHeads roiHeads() {
        return roiHeads;
    }

    /** The model's blocks by name, in the order their parameters are saved. */
    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("fpn", pyramid);
        m.put("rpn_head", rpn.head());
        m.put("box_head", roiHeads.head());
        return m;
    }

    /** C2..C5, the bottom-up pathway's maps the pyramid is built from. */
    @Override
    public NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        FeatureMaps c = backbone.forwardStages(ps, images, training, Backbone.PYRAMID);
        NDList maps = new NDList();
        for (String name : Backbone.PYRAMID) maps.add(c.get(name));
        return maps;
    }

    /**
     * P2..P6 of a batch: C2..C5 from the backbone, then the top-down pathway.
     *
     * @param images (N, 3, H, W) normalised input
     * @return five maps (N, d, ⌈H/s⌉, ⌈W/s⌉), s = 4, 8, 16, 32, 64
     */
    public List<NDArray> features(ParameterStore ps, NDArray images, boolean training) {
        return pyramid.forward(ps, backboneMaps(ps, images, training), training);
    }

    /** RoIs of each image pooled from P2..P5 by eq. 1. */
    private RegionFeatures regionFeatures(List<NDArray> p) {
        List<NDArray> roiLevels = p.subList(0, 4);
        NDManager m = p.get(0).getManager();
        return (image, rois) -> {
            List<NDArray> maps = new ArrayList<>(roiLevels.size());
            for (NDArray level : roiLevels) maps.add(level.get(image));
            return roiPooler.pool(m, maps, rois);
        };
    }

    /** The four loss terms of approximate joint training, summed over the pyramid's levels. */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<TrainingImage> meta, RandomGenerator random) {
        List<NDArray> p = features(ps, images, true);
        RpnOutput rpnOut = rpn.forward(ps, p, true);
        NDArray[] rpnLoss = rpn.computeLoss(rpnOut, meta, random);
        List<Proposals> proposals = rpn.filterProposals(rpnOut, meta, true);
        NDArray[] roiLoss = roiHeads.computeLoss(ps, regionFeatures(p), proposals, meta, random);
        return new LossTerms(rpnLoss[0], rpnLoss[1], roiLoss[0], roiLoss[1]);
    }

    @Override
    public List<ImageDetections> detect(ParameterStore ps, NDArray images, List<TrainingImage> meta, StageTimes times) {
        List<NDArray> p = features(ps, images, false);
        times.lap("backbone");
        RpnOutput out = rpn.forward(ps, p, false);
        times.lap("rpn_head");
        List<Proposals> proposals = rpn.filterProposals(out, meta, false);
        times.lap("proposals");
        return roiHeads.detect(ps, regionFeatures(p), proposals, meta, times);
    }

    /** The RPN's test-time proposals of each image, in the network input's pixels. */
    @Override
    public List<Proposals> propose(ParameterStore ps, NDArray images, List<TrainingImage> meta) {
        return rpn.filterProposals(rpn.forward(ps, features(ps, images, false), false), meta, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
