package org.rcnn4j.detector;

import org.rcnn4j.modeling.StageTimes;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.losses.LossTerms;
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
 * Faster R-CNN (Ren et al. 2015): a backbone's stride-16 map shared by a Region Proposal Network
 * and a Fast R-CNN head. A short composition of shared parts; the paper's rules live in
 * {@link FasterRcnnConfig} and in the parts themselves.
 *
 * <p>Owns an NDManager holding the parameters; close the model to free them. Per-batch arrays
 * belong to the caller's sub-manager (one per iteration or request).
 */
public final class FasterRcnn implements DetectorModel {
    /** {@code faster-rcnn}: the data-planned {@link FasterRcnnConfig#small} config by default. */
    public static final DetectorKind KIND = new DetectorKind() {
        @Override
        public String name() {
            return "faster-rcnn";
        }

        @Override
        public Class<FasterRcnnConfig> configClass() {
            return FasterRcnnConfig.class;
        }

        @Override
        public FasterRcnnConfig plan(String backbone, org.rcnn4j.data.Dataset train) {
            InputPlan plan = InputPlan.of(train);
            return FasterRcnnConfig.small(backbone, train.numClasses(), plan.shortSide(), plan.anchorSizes());
        }

        @Override
        public FasterRcnn create(DetectorConfig config, long seed, java.nio.file.Path backboneWeights) {
            if (!(config instanceof FasterRcnnConfig c)) {
                throw new IllegalArgumentException("faster-rcnn needs a FasterRcnnConfig, got " + config.getClass().getSimpleName());
            }
            return FasterRcnn.create(c, seed, backboneWeights);
        }
    };

    private final FasterRcnnConfig config;
    private final NDManager manager;
    private final Backbone backbone;
    private final RegionProposalNetwork rpn;
    private final RoiHeads roiHeads;

    private FasterRcnn(FasterRcnnConfig config, NDManager manager, Backbone backbone, RpnHead rpnHead, RegionHead boxHead) {
        this.config = config;
        this.manager = manager;
        this.backbone = backbone;
        FasterRcnnConfig.Rpn r = config.rpn();
        int stride = backbone.output().stride();
        float[] cell = AnchorGenerator.cellAnchors(toDoubles(config.anchors().sizes()), toDoubles(config.anchors().ratios()));
        AnchorTargets anchorTargets = new AnchorTargets(new Matcher(r.positiveIoU(), 0f, r.negativeIoU(), true),
                new BalancedSampler(r.batchSize(), r.positiveFraction()), BoxCoder.rcnn(), 0f);
        this.rpn = new RegionProposalNetwork(rpnHead, cell, stride, anchorTargets,
                new ProposalFilter(r.preNmsTrain(), r.postNmsTrain(), r.nms(), r.minSize(), true, BoxCoder.rcnn()),
                new ProposalFilter(r.preNmsTest(), r.postNmsTest(), r.nms(), r.minSize(), true, BoxCoder.rcnn()),
                r.boxLossWeight(), r.smoothL1Beta());
        this.roiHeads = DetectorParts.roiHeads(config.roi(), config.test(), stride, boxHead);
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
    public static FasterRcnn create(FasterRcnnConfig config, long seed, java.nio.file.Path backboneWeights) {
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config.backbone(), seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            int channels = backbone.output().channels();
            RpnHead rpnHead = new RpnHead(channels, config.anchors().perCell());
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
            rpnHead.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 8, 8));
            RegionHead boxHead = DetectorParts.boxHead(config.roi(), config.numClasses(), start, channels, manager);
            return new FasterRcnn(config, manager, backbone, rpnHead, boxHead);
        });
    }

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public FasterRcnnConfig config() {
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
        m.put("rpn_head", rpn.head());
        m.put("box_head", roiHeads.head());
        return m;
    }

    /**
     * The four loss terms of approximate joint training (Faster R-CNN §3.2): the RPN's proposals
     * feed the head as fixed boxes, and both losses back-propagate into the shared map.
     *
     * @param images (N, 3, H, W) normalised, padded input
     * @param meta   the N images' sizes, scales and ground truth
     */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<TrainingImage> meta, RandomGenerator random) {
        NDArray features = backbone.features(ps, images, true);
        RpnOutput rpnOut = rpn.forward(ps, features, true);
        NDArray[] rpnLoss = rpn.computeLoss(rpnOut, meta, random);
        List<Proposals> proposals = rpn.filterProposals(rpnOut, meta, true);
        NDArray[] roiLoss = roiHeads.computeLoss(ps, features, proposals, meta, random);
        return new LossTerms(rpnLoss[0], rpnLoss[1], roiLoss[0], roiLoss[1]);
    }

    @Override
    public List<ImageDetections> detect(ParameterStore ps, NDArray images, List<TrainingImage> meta, StageTimes times) {
        NDArray features = backbone.features(ps, images, false);
        times.lap("backbone");
        RpnOutput out = rpn.forward(ps, features, false);
        times.lap("rpn_head");
        List<Proposals> proposals = rpn.filterProposals(out, meta, false);
        times.lap("proposals");
        return roiHeads.detect(ps, features, proposals, meta, times);
    }

    /** The RPN's test-time proposals of each image, in the network input's pixels. */
    @Override
    public List<Proposals> propose(ParameterStore ps, NDArray images, List<TrainingImage> meta) {
        NDArray features = backbone.features(ps, images, false);
        return rpn.filterProposals(rpn.forward(ps, features, false), meta, false);
    }

    @Override
    public void close() {
        manager.close();
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
