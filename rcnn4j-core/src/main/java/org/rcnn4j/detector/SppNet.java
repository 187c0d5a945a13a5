package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.modeling.poolers.SpatialPyramidPooling;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.roiheads.RcnnPredictor;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.roiheads.SppHead;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;
import org.rcnn4j.modeling.sampling.RoiTargets;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * SPP-net for object detection (He et al. 2014, §4): the convolutional layers run once on the whole
 * image (at one scale, or at each scale of a pyramid), and each proposal window is max-pooled from the
 * conv map by a spatial pyramid ({@link SpatialPyramidPooling}, 6×6, 3×3, 2×2, 1×1 bins) into a
 * vector of fixed length, whatever its size; fc6 and fc7 run on that vector ({@link SppHead}); as in
 * R-CNN, class-specific linear SVMs score fc7 and ridge regressors move the box from the pooled
 * features ({@link RcnnPredictor}); per-class NMS. A composition of shared stages
 * ({@link TwoStageDetector}): {@link SingleMapFeatures}, {@link ExternalProposalStage}, and
 * {@link RoiHeads} with the pyramid as its pooler; multi-scale windows are pooled from the scale where
 * their area is nearest the pre-training size ({@link PyramidPooling}). Where R-CNN runs the network
 * on 2000 warped regions, SPP-net runs the conv layers once: the speed-up the paper measures.
 *
 * <p>Training is the paper's multi-stage pipeline ({@code org.rcnn4j.training.SppNetTraining}): the
 * conv layers stay as pre-trained; the windows' pooled features are cached once, the fully connected
 * layers fine-tuned on them, then fc7 features cached for the SVMs (hard negative mining) and the box
 * regressors fitted on the pooled features, as R-CNN's.
 */
public final class SppNet extends TwoStageDetector implements ExternalProposals, RegionFeatureDetector {
    /**
     * {@code spp-net}: the data-planned {@link SppNetConfig#smallPyramid} config by default (five
     * scales: on 200 {@code shapes} images voc07 0.663 against 0.561 at the one planned scale,
     * bench/results/spp_net.md); external proposals.
     */
    public static final DetectorKind KIND = DetectorKind.of("spp-net", SppNetConfig.class,
            (backbone, train) -> SppNetConfig.smallPyramid(backbone, train.numClasses(), InputPlan.of(train).shortSide()),
            SppNet::create).withExternalProposals().withSchedules(Rcnn.MULTI_STAGE).withBaseLr(SppNetConfig.FINE_TUNE_LR);

    private final Backbone backbone;
    private final ExternalProposalStage proposals;
    private final SppHead head;
    private final RcnnPredictor predictor;

    private SppNet(SppNetConfig config, NDManager manager, Backbone backbone, ExternalProposalStage proposals,
            RoiHeads roiHeads) {
        super(KIND.name(), config, manager, new SingleMapFeatures(backbone), proposals, roiHeads);
        this.backbone = backbone;
        this.proposals = proposals;
        this.head = (SppHead) roiHeads.boxHead();
        this.predictor = (RcnnPredictor) roiHeads.predictor();
    }

    /**
     * A new model, its whole backbone frozen (the paper fine-tunes the fully connected layers only);
     * every random draw follows {@code seed}. fc6 and fc7 start from those stored with the backbone
     * when they were pre-trained after the same spatial pyramid ({@code pretrain --classifier spp},
     * the paper's "Training the network", §2.3), and fresh otherwise.
     *
     * @param backboneWeights a file written by {@code pretrain}, or null for a network from scratch
     * @throws org.rcnn4j.io.BadInputException when the file is damaged or holds another backbone
     */
    public static SppNet create(SppNetConfig config, long seed, Path backboneWeights) {
        config.validate();
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config, seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            DetectorParts.seedEngine(seed);
            RoiConfig q = config.roi();
            SpatialPyramidPooling spp = config.spp();
            int channels = backbone.output().channels();
            Shape pooled = new Shape(1, channels, spp.bins(), 1);
            SppHead head = new SppHead(new TwoMlpHead(q.fc6(), q.fc7()));
            head.initialize(manager, DataType.FLOAT32, pooled);
            if (start.fc() != null && PretrainedHead.fits(start.fc(), config)) head.mlp().loadPretrained(start.fc(), manager);
            RcnnPredictor predictor = new RcnnPredictor(config.numClasses());
            predictor.initialize(manager, DataType.FLOAT32, head.getOutputShapes(new Shape[] {pooled}));
            DetectionPostProcessor post = DetectorParts.svmPostProcessor(config.test());
            RoiHeads roiHeads = new RoiHeads(RegionPooler.singleMap(spp, 1f / backbone.output().stride()), head, predictor,
                    channels, RoiTargets.of(q), post, q.boxLossWeight(), q.smoothL1Beta());
            return new SppNet(config, manager, backbone, new ExternalProposalStage(config.maxProposals()), roiHeads);
        });
    }

    @Override
    public SppNetConfig config() {
        return (SppNetConfig) super.config();
    }

    /** fc6 and fc7 on the pooled pyramid. */
    public SppHead head() {
        return head;
    }

    @Override
    public RcnnPredictor predictor() {
        return predictor;
    }

    /**
     * {@inheritDoc} The conv maps once per scale of the config's pyramid, each window pooled at its
     * scale, fc6 and fc7 on all windows at once.
     */
    @Override
    public RegionFeatures regionFeatures(ParameterStore ps, RgbImage image, ImageRecord record, float[] boxes,
            Normalize normalize) {
        int r = boxes.length / 4;
        int d7 = config().roi().fc7();
        float[] pooled = pooledFeatures(ps, image, record, boxes, normalize);
        float[] fc7 = new float[r * d7];
        if (r > 0) {
            try (NDManager sub = manager().newSubManager()) {
                NDArray x = sub.create(pooled, new Shape(r, pool5Size()));
                fc7 = head.mlp().forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            }
        }
        return new RegionFeatures(r, fc7, d7, pooled, pool5Size());
    }

    /**
     * The windows' spatial-pyramid-pooled conv features, {@code R × C·B} row-major in window order:
     * what fine-tuning trains fc6 and fc7 on (they depend on the frozen conv layers only, so they are
     * computed once, §4.1). No gradient is recorded.
     *
     * @param boxes R windows, x1 y1 x2 y2 in original-image pixels
     */
    public float[] pooledFeatures(ParameterStore ps, RgbImage image, ImageRecord record, float[] boxes, Normalize normalize) {
        int r = boxes.length / 4;
        int d = pool5Size();
        float[] out = new float[r * d];
        if (r == 0) return out;
        try (NDManager sub = manager().newSubManager()) {
            PyramidPooling.Pooled p = PyramidPooling.pool(this, ps, sub, image, record, boxes, normalize, StageTimes.none());
            float[] grouped = p.features().toFloatArray();
            // Rows come grouped by scale; put each back at its window's place.
            for (int i = 0; i < r; i++) System.arraycopy(grouped, i * d, out, p.order()[i] * d, d);
        }
        return out;
    }

    /** C·B: the backbone's channels times the pyramid's bins. */
    @Override
    public int pool5Size() {
        return backbone.output().channels() * config().spp().bins();
    }

    /** The conv layers: what the pooled features depend on. */
    public void saveConvWeights(DataOutputStream out) throws IOException {
        backbone.saveParameters(out);
    }

    /** The conv layers and fc6, fc7: the cached fc7 features depend on both. */
    @Override
    public void saveFeatureWeights(DataOutputStream out) throws IOException {
        backbone.saveParameters(out);
        head.saveParameters(out);
    }

    @Override
    public void useProposals(ProposalSource source) {
        proposals.useProposals(source);
    }

    @Override
    public Optional<ProposalSource> proposalSource() {
        return proposals.proposalSource();
    }
}
