package org.rcnn4j.detector;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.ResizeConvention;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.RpnConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.Blocks;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.modeling.poolers.RoIAlign;
import org.rcnn4j.modeling.poolers.RoIPool;
import org.rcnn4j.modeling.poolers.RoIPooler;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.roiheads.BoxHead;
import org.rcnn4j.modeling.roiheads.C5Head;
import org.rcnn4j.modeling.roiheads.FastRcnnPredictor;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;
import org.rcnn4j.modeling.rpn.ProposalFilter;
import org.rcnn4j.modeling.rpn.RegionProposalNetwork;
import org.rcnn4j.modeling.rpn.RpnHead;
import org.rcnn4j.modeling.sampling.AnchorTargets;
import org.rcnn4j.modeling.sampling.RoiTargets;

/**
 * The stages the detectors are composed of, built from config sections: the backbone (fresh or
 * pre-trained, its first stages frozen), a Region Proposal Network, and the region stage ({@link RoiHeads}:
 * pooler, box head, predictor, targets, post-processing). Every random draw follows the model's seed.
 */
final class DetectorParts {
    private DetectorParts() {}

    /**
     * Builds a model in a new base manager that the model will own; the manager is closed if building
     * fails, so a bad weights file or config leaks no native memory.
     */
    static <T> T inNewManager(Function<NDManager, T> build) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return build.apply(manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /** C of {@code backbone}'s output map. */
    static int outputChannels(String backbone) {
        return Backbones.create(backbone).output().channels();
    }

    /** Checks the fields every detector has, the backbone's name among them. */
    static void validateCommon(DetectorConfig config) {
        DetectorConfig.validateCommon(config);
        ConfigException.require(Backbones.NAMES.contains(config.backbone()), "backbone",
                "unknown '" + config.backbone() + "'; one of " + Backbones.NAMES);
    }

    /**
     * R-CNN's and SPP-net's post-processing: their box regressors' deltas are unnormalised
     * ({@link BoxCoder#rcnn()}), their scores SVM margins or softmax probabilities.
     */
    static DetectionPostProcessor svmPostProcessor(TestConfig test) {
        return new DetectionPostProcessor(BoxCoder.rcnn(), test.scoreThreshold(), test.nms(), test.detectionsPerImage());
    }

    /** Seeds the engine's generator, which DJL's default initializers draw from, with {@code seed}. */
    static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * The config's backbone, initialised from {@code seed} or read from pre-trained weights together
     * with the fc6 and fc7 stored beside it, its first {@link DetectorConfig#frozenStages()} stages
     * frozen (Fast R-CNN §4.5).
     *
     * @param weights a file written by {@code pretrain}, or null for a backbone from scratch
     * @throws BadInputException when the file is damaged or holds another backbone than the config's
     */
    static BackboneWeights.Stored backbone(DetectorConfig config, long seed, Path weights, NDManager manager) {
        String name = config.backbone();
        BackboneWeights.Stored stored;
        if (weights == null) {
            Backbone backbone = Backbones.create(name);
            backbone.initialize(manager, seed);
            stored = new BackboneWeights.Stored(backbone, null);
        } else {
            stored = BackboneWeights.loadWithFc(weights, manager);
            if (!stored.backbone().name().equals(name)) {
                throw new BadInputException(weights, "backbone", "holds a '" + stored.backbone().name()
                        + "' backbone, the model is configured for '" + name + "'");
            }
        }
        Backbone backbone = stored.backbone();
        int frozen = Math.min(config.frozenStages(), backbone.stages().size());
        if (frozen > 0) backbone.freezeUpTo(backbone.stages().get(frozen - 1).name());
        return stored;
    }

    /**
     * A Region Proposal Network: one head of {@code head.anchorsPerCell()} anchors on each level,
     * Faster R-CNN's labelling over all levels' anchors together (§3.1.2) and its proposal filter
     * (the NMS batched by level when {@code r.nmsPerLevel()}; one level: irrelevant).
     */
    static RegionProposalNetwork rpn(RpnConfig r, RpnHead head, List<RegionProposalNetwork.Level> levels) {
        boolean nmsPerLevel = r.nmsPerLevel();
        return new RegionProposalNetwork(head, levels, AnchorTargets.of(r),
                new ProposalFilter(r.preNmsTrain(), r.postNmsTrain(), r.nms(), r.minSize(), nmsPerLevel, BoxCoder.rcnn()),
                new ProposalFilter(r.preNmsTest(), r.postNmsTest(), r.nms(), r.minSize(), nmsPerLevel, BoxCoder.rcnn()),
                r.boxLossWeight(), r.smoothL1Beta());
    }

    /** A level of the RPN: {@code sizes × ratios} cell anchors at {@code stride}. */
    static RegionProposalNetwork.Level rpnLevel(float[] sizes, float[] ratios, int stride) {
        return new RegionProposalNetwork.Level(AnchorGenerator.cellAnchors(toDoubles(sizes), toDoubles(ratios)), stride);
    }

    /** An RPN head for {@code channels}-channel maps with {@code anchors} per position, initialised. */
    static RpnHead rpnHead(int channels, int anchors, NDManager manager) {
        RpnHead head = new RpnHead(channels, anchors);
        head.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 8, 8));
        return head;
    }

    /**
     * The region stage of {@code config}: RoI sampling (foreground IoU ≥ {@code fgIoU}, background
     * in [{@code bgLow}, {@code fgIoU}), ground truth added), {@code pooler}, the box head
     * {@code roi.head} names and Fast R-CNN's predictor (both initialised, in that order), and
     * post-processing, with targets normalised by {@link BoxCoder#fastRcnn()} (Fast R-CNN §2.3).
     * An fc head takes fc6 and fc7 from {@code start.fc()} when they have its shape
     * ({@link PretrainedHead}); a C5 head starts as a copy of {@code start}'s C5 stage, pre-trained
     * or freshly seeded with the rest of the backbone (the backbone keeps its own C5, which the
     * single-scale detectors never run).
     *
     * @param channels C of the pooled features (the backbone's C4, or FPN's pyramid)
     * @throws IllegalArgumentException for a C5 head on a backbone whose C5 stage has no weights (zf, vgg16)
     */
    static RoiHeads roiHeads(RoiHeadConfig config, RegionPooler pooler, BackboneWeights.Stored start, int channels,
            NDManager manager) {
        RoiConfig q = config.roi();
        Shape pooled = new Shape(1, channels, q.poolSize(), q.poolSize());
        BoxHead head = switch (q.head()) {
            case FC -> {
                TwoMlpHead fc = new TwoMlpHead(q.fc6(), q.fc7(), q.svdFc6(), q.svdFc7());
                fc.initialize(manager, DataType.FLOAT32, pooled);
                yield fc;
            }
            case C5 -> {
                Backbone backbone = start.backbone();
                String why = C5Head.unsuitable(backbone);
                if (why != null) throw new IllegalArgumentException("roi.head c5: " + why + "; use roi.head fc");
                C5Head c5 = new C5Head(Backbones.create(backbone.name()).stageBlock("C5"));
                c5.initialize(manager, DataType.FLOAT32, pooled);
                yield c5;
            }
        };
        FastRcnnPredictor predictor = new FastRcnnPredictor(config.numClasses());
        predictor.initialize(manager, DataType.FLOAT32, head.getOutputShapes(new Shape[] {pooled}));
        if (head instanceof TwoMlpHead fc && start.fc() != null && PretrainedHead.fits(start.fc(), q, channels)) {
            fc.loadPretrained(start.fc(), manager);
        }
        if (head instanceof C5Head c5) Blocks.copyParameters(start.backbone().stageBlock("C5"), c5.c5(), manager);
        BoxCoder coder = BoxCoder.fastRcnn();
        RoiTargets targets = RoiTargets.of(q);
        DetectionPostProcessor post = new DetectionPostProcessor(coder, config.test().scoreThreshold(), config.test().nms(),
                config.test().detectionsPerImage(), config.input().resize() == ResizeConvention.TORCHVISION);
        return new RoiHeads(pooler, head, predictor, channels, targets, post, q.boxLossWeight(), q.smoothL1Beta());
    }

    /** RoI max pooling (Fast R-CNN §2.1) or RoIAlign, {@code poolSize × poolSize}, from one map of {@code stride}. */
    static RegionPooler singleMapPooler(RoiConfig q, int stride) {
        return RegionPooler.singleMap(roiPooler(q), 1f / stride);
    }

    /** The pooling operation {@code q.pooler()} names, {@code poolSize × poolSize}. */
    static RoIPooler roiPooler(RoiConfig q) {
        return switch (q.pooler()) {
            case ROI_POOL -> new RoIPool(q.poolSize(), q.poolSize());
            case ROI_ALIGN -> new RoIAlign(q.poolSize(), q.poolSize(), q.samplingRatio(), q.aligned());
        };
    }

    static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
