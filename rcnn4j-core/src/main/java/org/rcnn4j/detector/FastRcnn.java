package org.rcnn4j.detector;

import org.rcnn4j.modeling.StageTimes;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.modeling.roiheads.RegionHead;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.preprocess.TrainingImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * Fast R-CNN (Girshick 2015): the backbone's stride-16 map computed once per image, each external
 * proposal RoI-max-pooled to 7×7 from it, and one head (fc6, fc7, softmax over K+1, class-specific
 * boxes) trained in a single stage by the multi-task loss (eq. 1). The paper's rules live in
 * {@link FastRcnnConfig}; proposals come from a {@link ProposalSource} set at run time
 * ({@link ExternalProposals}).
 *
 * <p><b>Frozen first block.</b> The first {@code frozenStages} backbone stages get no gradient
 * (§4.5 "Which layers to fine-tune?": conv1 is left untrained for the smaller networks and conv1–conv2
 * for VGG16; the first layers are generic, task independent, and updating them buys nothing while it
 * costs training time and memory).
 *
 * <p><b>Scales.</b> Training draws one of {@code input.trainScales} per sampled image (one value:
 * single scale, several: the image pyramid of §5.2). Testing with several {@code pyramid.testScales}
 * runs the backbone once per scale and pools each RoI from the scale where its area is nearest 224²
 * ({@link PyramidDetection}); the head then runs once on all RoIs.
 *
 * <p>Owns an NDManager holding the parameters; close the model to free them.
 */
public final class FastRcnn implements DetectorModel, ExternalProposals {
    /** {@code fast-rcnn}: the data-planned {@link FastRcnnConfig#small} config by default. */
    public static final DetectorKind KIND = new DetectorKind() {
        @Override
        public String name() {
            return "fast-rcnn";
        }

        @Override
        public boolean takesProposals() {
            return true;
        }

        @Override
        public Class<FastRcnnConfig> configClass() {
            return FastRcnnConfig.class;
        }

        @Override
        public FastRcnnConfig plan(String backbone, Dataset train) {
            return FastRcnnConfig.small(backbone, train.numClasses(), InputPlan.of(train).shortSide());
        }

        @Override
        public FastRcnn create(DetectorConfig config, long seed, Path backboneWeights) {
            if (!(config instanceof FastRcnnConfig c)) {
                throw new IllegalArgumentException("fast-rcnn needs a FastRcnnConfig, got " + config.getClass().getSimpleName());
            }
            return FastRcnn.create(c, seed, backboneWeights);
        }
    };

    private final FastRcnnConfig config;
    private final NDManager manager;
    private final Backbone backbone;
    private final RoiHeads roiHeads;
    private volatile ProposalSource source;

    private FastRcnn(FastRcnnConfig config, NDManager manager, Backbone backbone, RegionHead boxHead) {
        this.config = config;
        this.manager = manager;
        this.backbone = backbone;
        this.roiHeads = DetectorParts.roiHeads(config.roi(), config.test(), backbone.output().stride(), boxHead);
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
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config.backbone(), seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            int frozen = Math.min(config.frozenStages(), backbone.stages().size());
            if (frozen > 0) backbone.freezeUpTo(backbone.stages().get(frozen - 1).name());
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
            RegionHead boxHead = DetectorParts.boxHead(config.roi(), config.numClasses(), start, backbone.output().channels(), manager);
            return new FastRcnn(config, manager, backbone, boxHead);
        });
    }

    @Override
    public String kind() {
        return KIND.name();
    }

    @Override
    public FastRcnnConfig config() {
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

    public RoiHeads roiHeads() {
        return roiHeads;
    }

    @Override
    public void useProposals(ProposalSource proposals) {
        this.source = proposals;
    }

    @Override
    public Optional<ProposalSource> proposalSource() {
        return Optional.ofNullable(source);
    }

    /** The model's blocks by name, in the order their parameters are saved. */
    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("box_head", roiHeads.head());
        return m;
    }

    /**
     * Fast R-CNN eq. 1 (roiCls + roiBox; no RPN terms) over RoIs sampled from each image's proposals,
     * brought into the image's resized and flipped frame, plus its ground-truth boxes.
     *
     * @param images (N, 3, H, W) normalised, padded input
     * @param meta   the N images' transforms and ground truth
     */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<TrainingImage> meta, RandomGenerator random) {
        List<Proposals> proposals = inputProposals(meta);
        NDArray features = backbone.features(ps, images, true);
        if (!anyCandidate(proposals, meta)) {
            // No proposal and no object in the whole batch: nothing to classify; a zero loss that
            // still reaches the parameters keeps the iteration an ordinary one.
            NDArray zero = Losses.scale(features.sum(), 0f);
            return new LossTerms(null, null, zero, zero);
        }
        NDArray[] loss = roiHeads.computeLoss(ps, features, proposals, meta, random);
        return new LossTerms(null, null, loss[0], loss[1]);
    }

    /** Detections of a batch at its single scale, on each image's proposals. */
    @Override
    public List<ImageDetections> detect(ParameterStore ps, NDArray images, List<TrainingImage> meta, StageTimes times) {
        List<Proposals> proposals = inputProposals(meta);
        times.lap("proposals");
        int total = 0;
        for (Proposals p : proposals) total += p.size();
        if (total == 0) return new ArrayList<>(java.util.Collections.nCopies(meta.size(), ImageDetections.EMPTY));
        NDArray features = backbone.features(ps, images, false);
        times.lap("backbone");
        return roiHeads.detect(ps, features, proposals, meta, times);
    }

    /** Each image's external proposals (the best {@code maxProposals}), in its input frame. */
    @Override
    public List<Proposals> propose(ParameterStore ps, NDArray images, List<TrainingImage> meta) {
        return inputProposals(meta);
    }

    /**
     * Detections of one image: at the single test scale, or on the image pyramid, each RoI pooled from
     * the scale where its area is nearest {@code canonicalSide²}.
     */
    @Override
    public ImageDetections detect(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record,
            Normalize normalize, StageTimes times) {
        Proposals p = propose(ps, sub, image, record, normalize);
        times.lap("proposals");
        return new PyramidDetection(this).detect(ps, sub, image, record, p.boxes(), normalize, times);
    }

    /** The source's best {@code maxProposals} for the image, clipped to it, in original pixels. */
    @Override
    public Proposals propose(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record, Normalize normalize) {
        Proposals p = ProposalSource.best(requireSource().proposals(record, () -> image), config.maxProposals());
        return new Proposals(Boxes.clip(p.boxes().clone(), image.width(), image.height()), p.scores());
    }

    private List<Proposals> inputProposals(List<TrainingImage> meta) {
        ProposalSource s = requireSource();
        List<Proposals> out = new ArrayList<>(meta.size());
        for (TrainingImage m : meta) out.add(s.proposalsFor(m, decoder(m), config.maxProposals()));
        return out;
    }

    private static Supplier<RgbImage> decoder(TrainingImage m) {
        return () -> {
            if (m.file() == null) {
                throw new IllegalStateException("image " + m.record().id() + " has no file to decode for its proposals");
            }
            return ImageDecoder.decode(m.file());
        };
    }

    private ProposalSource requireSource() {
        ProposalSource s = source;
        if (s == null) {
            throw new IllegalStateException("fast-rcnn detects on given region proposals, and none were given "
                    + "(a proposals file, or a proposal method: useProposals)");
        }
        return s;
    }

    private static boolean anyCandidate(List<Proposals> proposals, List<TrainingImage> meta) {
        for (int i = 0; i < meta.size(); i++) {
            if (proposals.get(i).size() > 0 || GroundTruth.of(meta.get(i)).size() > 0) return true;
        }
        return false;
    }

    @Override
    public void close() {
        manager.close();
    }
}
