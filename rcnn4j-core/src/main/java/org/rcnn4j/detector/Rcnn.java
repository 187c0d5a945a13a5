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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.NativeFloats;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.poolers.RegionWarp;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.roiheads.RcnnPredictor;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.roiheads.TwoMlpHead;
import org.rcnn4j.modeling.roiheads.WarpedRegionHead;
import org.rcnn4j.modeling.sampling.RoiTargets;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.PreparedImage;
import org.rcnn4j.preprocess.Resize;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.ProposalSource;

/**
 * R-CNN (Girshick et al. 2014): regions with CNN features. Each external proposal (selective search,
 * §2.1) is warped with context to a fixed square ({@link RegionWarp}) and run through the whole CNN
 * ({@link WarpedRegionHead}); class-specific linear SVMs score its fc7 features and class-specific
 * ridge regressors move its box from pool5 ({@link RcnnPredictor}); per-class NMS at 0.3 (§2.2).
 * A composition of shared stages ({@link TwoStageDetector}): {@link RegionImageFeatures} (no shared
 * map: the image itself), {@link ExternalProposalStage}, and {@link RoiHeads} over the warp.
 *
 * <p>Training is R-CNN's multi-stage pipeline ({@code org.rcnn4j.training.RcnnTraining}): fine-tune
 * the network as a (K+1)-way classifier on warped regions, cache every training region's features,
 * train the SVMs with hard negative mining, fit the box regressors. The SVMs and regressors are saved
 * in the model directory with the network ({@code box_head}).
 */
public final class Rcnn extends TwoStageDetector implements ExternalProposals, RegionFeatureDetector {
    /** R-CNN's training schedule: fine-tuning, features, SVMs, box regressors (§2.3, Appendix C). */
    public static final String MULTI_STAGE = "multi-stage";

    /** {@code r-cnn}: the data-planned {@link RcnnConfig#small} config by default; external proposals. */
    public static final DetectorKind KIND = DetectorKind.of("r-cnn", RcnnConfig.class,
            (backbone, train) -> RcnnConfig.small(backbone, train.numClasses(), InputPlan.of(train).shortSide()),
            Rcnn::create).withExternalProposals().withSchedules(MULTI_STAGE);

    private final ExternalProposalStage proposals;
    private final WarpedRegionHead network;
    private final RcnnPredictor predictor;

    private Rcnn(RcnnConfig config, NDManager manager, WarpedRegionHead network, ExternalProposalStage proposals,
            RoiHeads roiHeads) {
        super(KIND.name(), config, manager, new RegionImageFeatures(network.backbone()), proposals, roiHeads);
        this.proposals = proposals;
        this.network = network;
        this.predictor = (RcnnPredictor) roiHeads.predictor();
    }

    /**
     * A new model, its first {@code frozenStages} backbone stages frozen; every random draw follows
     * {@code seed}. fc6 and fc7 start from those stored with the backbone when their shape fits.
     *
     * @param backboneWeights a file written by {@code pretrain} (R-CNN starts from an ImageNet
     *                        classifier, §2.3), or null for a network from scratch
     * @throws org.rcnn4j.io.BadInputException when the file is damaged or holds another backbone
     */
    public static Rcnn create(RcnnConfig config, long seed, Path backboneWeights) {
        config.validate();
        return DetectorParts.inNewManager(manager -> {
            BackboneWeights.Stored start = DetectorParts.backbone(config, seed, backboneWeights, manager);
            Backbone backbone = start.backbone();
            DetectorParts.seedEngine(seed);
            RoiConfig q = config.roi();
            int w = config.warp().size();
            WarpedRegionHead network = new WarpedRegionHead(backbone, q.poolSize(), new TwoMlpHead(q.fc6(), q.fc7()));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, 3, w, w));
            int channels = backbone.output().channels();
            if (start.fc() != null && PretrainedHead.fits(start.fc(), q, channels)) network.mlp().loadPretrained(start.fc(), manager);
            RcnnPredictor predictor = new RcnnPredictor(config.numClasses());
            predictor.initialize(manager, DataType.FLOAT32, network.getOutputShapes(new Shape[] {new Shape(1, 3, w, w)}));
            DetectionPostProcessor post = DetectorParts.svmPostProcessor(config.test());
            RoiHeads roiHeads = new RoiHeads(new RegionWarp(w, config.warp().context()), network, predictor, 3,
                    RoiTargets.of(q), post, q.boxLossWeight(), q.smoothL1Beta(), config.warp().regionsPerPass());
            return new Rcnn(config, manager, network, new ExternalProposalStage(config.maxProposals()), roiHeads);
        });
    }

    @Override
    public RcnnConfig config() {
        return (RcnnConfig) super.config();
    }

    /** The CNN every warped region runs through: backbone, pool5, fc6, fc7. */
    public WarpedRegionHead network() {
        return network;
    }

    /** The softmax classifier, the SVMs and the box regressors. */
    @Override
    public RcnnPredictor predictor() {
        return predictor;
    }

    /**
     * {@inheritDoc} The image is read at the config's scale, as fine-tuning read it; each region is
     * warped from it and run through the network ({@link #regionFeatures(ParameterStore, NDArray, float[])}).
     */
    @Override
    public RegionFeatures regionFeatures(ParameterStore ps, RgbImage image, ImageRecord record, float[] boxes,
            Normalize normalize) {
        InputConfig in = config().input();
        PreparedImage prepared = PreparedImage.forInference(image, record, null, in.shortSide(), in.maxSize());
        try (NDManager sub = manager().newSubManager()) {
            DetectionBatch batch = DetectionBatch.assemble(List.of(prepared), normalize, 1);
            NDArray x = NativeFloats.input(sub, batch);
            return regionFeatures(ps, x, Resize.scaleBoxes(boxes, prepared.image().scale()));
        }
    }

    @Override
    public int pool5Size() {
        return Math.toIntExact(network.pool5Size());
    }

    /** The whole network: every region runs through all of it. */
    @Override
    public void saveFeatureWeights(DataOutputStream out) throws IOException {
        network.saveParameters(out);
    }

    /**
     * The features of regions of one image as R-CNN caches them for its SVMs and box regressors
     * (§2.3, Appendix C): each region warped and run through the network, at most
     * {@code warp.regionsPerPass} at a time; no gradient is recorded.
     *
     * @param image (1, 3, H, W) the normalised image
     * @param boxes R regions, x1 y1 x2 y2 in its pixels
     */
    public RegionFeatures regionFeatures(ParameterStore ps, NDArray image, float[] boxes) {
        int r = boxes.length / 4;
        int d7 = config().roi().fc7();
        int d5 = Math.toIntExact(network.pool5Size());
        float[] fc7 = new float[r * d7];
        float[] pool5 = new float[r * d5];
        int step = config().warp().regionsPerPass();
        for (int start = 0; start < r; start += step) {
            int end = Math.min(r, start + step);
            try (NDManager sub = image.getManager().newSubManager()) {
                NDArray warped = warp().pool(List.of(image), 0, Arrays.copyOfRange(boxes, 4 * start, 4 * end));
                warped.attach(sub);
                NDList out = network.forward(ps, new NDList(warped), false);
                out.attach(sub);
                System.arraycopy(out.get(0).toFloatArray(), 0, fc7, start * d7, (end - start) * d7);
                System.arraycopy(out.get(1).toFloatArray(), 0, pool5, start * d5, (end - start) * d5);
            }
        }
        return new RegionFeatures(r, fc7, d7, pool5, d5);
    }

    /** The region warp. */
    public RegionWarp warp() {
        return (RegionWarp) roiHeads().pooler();
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
