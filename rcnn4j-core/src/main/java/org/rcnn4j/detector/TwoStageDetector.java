package org.rcnn4j.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.preprocess.BatchImage;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;

/**
 * The meta-architecture every detector of the family is (torchvision's {@code GeneralizedRCNN},
 * Detectron2's {@code GeneralizedRCNN}):
 *
 * <pre>
 * images ─► {@link FeatureStage} ─► maps ─┬─► {@link ProposalStage} ─► proposals ─┐
 *                                        └──────────────────────────────────────┴─► {@link RoiHeads} ─► detections
 *                                                                                 (pooler, box head, predictor,
 *                                                                                  post-processing)
 * </pre>
 *
 * A detector is a short composition of these stages with its paper's defaults ({@link FasterRcnn},
 * {@link Fpn}, {@link FastRcnn}). In training the loss is the sum of the stages' named terms
 * (approximate joint training, Faster R-CNN §3.2: the proposals are fixed boxes for the region
 * stage). A proposal stage that does not read the maps (external proposals) runs first, so an
 * image without any proposal skips the backbone at test; such detectors also test on the image
 * pyramid of their config ({@link ImagePyramidDetection}).
 *
 * <p>Owns an NDManager holding the parameters; close the model to free them. Per-batch arrays
 * belong to the caller's sub-manager (one per iteration or request).
 */
public class TwoStageDetector implements DetectorModel {
    private final String kind;
    private final DetectorConfig config;
    private final NDManager manager;
    private final FeatureStage features;
    private final ProposalStage proposals;
    private final RoiHeads roiHeads;

    /**
     * @param kind    the detector's {@link DetectorKind#name()}
     * @param manager holds the stages' parameters; the model owns it
     */
    protected TwoStageDetector(String kind, DetectorConfig config, NDManager manager, FeatureStage features,
            ProposalStage proposals, RoiHeads roiHeads) {
        this.kind = kind;
        this.config = config;
        this.manager = manager;
        this.features = features;
        this.proposals = proposals;
        this.roiHeads = roiHeads;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public DetectorConfig config() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Backbone backbone() {
        return features.backbone();
    }

    /** The feature stage. */
    public FeatureStage features() {
        return features;
    }

    /** The proposal stage. */
    public ProposalStage proposals() {
        return proposals;
    }

    /** The region stage. */
    public RoiHeads roiHeads() {
        return roiHeads;
    }

    @Override
    public Optional<ExternalProposals> externalProposals() {
        return proposals instanceof ExternalProposals e ? Optional.of(e) : Optional.empty();
    }

    /** The stages' blocks by name, in the order their parameters are saved: features, proposals, {@code box_head}. */
    @Override
    public Map<String, Block> blocks() {
        Map<String, Block> m = new LinkedHashMap<>(features.blocks());
        m.putAll(proposals.blocks());
        m.put("box_head", roiHeads.weights());
        return m;
    }

    @Override
    public NDList backboneMaps(ParameterStore ps, NDArray images, boolean training) {
        return features.backboneMaps(ps, images, training);
    }

    /**
     * The proposal stage's loss terms, then the region stage's (Faster R-CNN eq. 1 and Fast R-CNN
     * eq. 1; an RPN's proposals feed the region stage as fixed boxes, and both losses back-propagate
     * into the shared maps).
     *
     * @param images (N, 3, H, W) normalised, padded input
     * @param meta   the N images' transforms and ground truth
     */
    @Override
    public LossTerms computeLosses(ParameterStore ps, NDArray images, List<BatchImage> meta, RandomGenerator random) {
        List<NDArray> maps = proposals.readsFeatures() ? features.forward(ps, images, true) : null;
        ProposalStage.Proposed p = proposals.forTraining(ps, maps, meta, random);
        if (maps == null) maps = features.forward(ps, images, true);
        return p.losses().and(roiHeads.computeLoss(ps, maps, p.proposals(), meta, random));
    }

    @Override
    public List<ImageDetections> detect(ParameterStore ps, NDArray images, List<BatchImage> meta, StageTimes times) {
        List<NDArray> maps = null;
        if (proposals.readsFeatures()) {
            maps = features.forward(ps, images, false);
            times.lap("backbone");
        }
        List<Proposals> p = proposals.forTest(ps, maps, meta, times);
        if (maps == null) {
            if (total(p) == 0) return new ArrayList<>(Collections.nCopies(meta.size(), ImageDetections.EMPTY));
            maps = features.forward(ps, images, false);
            times.lap("backbone");
        }
        return roiHeads.detect(ps, maps, p, meta, times);
    }

    @Override
    public List<Proposals> propose(ParameterStore ps, NDArray images, List<BatchImage> meta) {
        List<NDArray> maps = proposals.readsFeatures() ? features.forward(ps, images, false) : null;
        return proposals.forTest(ps, maps, meta, StageTimes.none());
    }

    /**
     * Detections of one decoded image: with external proposals, on the config's image pyramid (one
     * scale or several, {@link ImagePyramidDetection}); otherwise at the single scale.
     */
    @Override
    public ImageDetections detect(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record,
            Normalize normalize, StageTimes times) {
        if (!(proposals instanceof ExternalProposalStage external)) {
            return DetectorModel.super.detect(ps, sub, image, record, normalize, times);
        }
        Proposals p = external.original(image, record);
        times.lap("proposals");
        return new ImagePyramidDetection(this).detect(ps, sub, image, record, p.boxes(), normalize, times);
    }

    @Override
    public Proposals propose(ParameterStore ps, NDManager sub, RgbImage image, ImageRecord record, Normalize normalize) {
        if (proposals instanceof ExternalProposalStage external) return external.original(image, record);
        return DetectorModel.super.propose(ps, sub, image, record, normalize);
    }

    private static int total(List<Proposals> proposals) {
        int n = 0;
        for (Proposals p : proposals) n += p.size();
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
