package org.rcnn4j.detector;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.Backbones;
import org.rcnn4j.modeling.poolers.RoIAlign;
import org.rcnn4j.modeling.poolers.RoIPool;
import org.rcnn4j.modeling.poolers.RoIPooler;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.roiheads.BoxHead;
import org.rcnn4j.modeling.roiheads.PretrainedFc;
import org.rcnn4j.modeling.roiheads.RoiHeads;
import org.rcnn4j.modeling.sampling.BalancedSampler;
import org.rcnn4j.modeling.sampling.Matcher;
import org.rcnn4j.modeling.sampling.RoiTargets;

/**
 * The construction Fast R-CNN and Faster R-CNN share: a backbone (fresh or pre-trained) and the
 * Fast R-CNN head ({@link RoiHeads}) built from a {@link FasterRcnnConfig.Roi} and
 * {@link FasterRcnnConfig.Test} record.
 */
final class DetectorParts {
    private DetectorParts() {}

    /**
     * Builds a model in a new base manager that the model will own; the manager is closed if building
     * fails, so a bad weights file or config leaks no native memory.
     */
    static <T> T inNewManager(java.util.function.Function<NDManager, T> build) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return build.apply(manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A backbone initialised from {@code seed}, or read from pre-trained weights together with the
     * fc6 and fc7 stored beside it (null when there are none or no weights).
     *
     * @param weights a file written by {@code pretrain}, or null for a backbone from scratch
     * @throws BadInputException when the file is damaged or holds another backbone than {@code name}
     */
    static BackboneWeights.Stored backbone(String name, long seed, Path weights, NDManager manager) {
        if (weights == null) {
            Backbone backbone = Backbones.create(name);
            backbone.initialize(manager, seed);
            return new BackboneWeights.Stored(backbone, null);
        }
        BackboneWeights.Stored stored = BackboneWeights.loadWithFc(weights, manager);
        if (!stored.backbone().name().equals(name)) {
            throw new BadInputException(weights, "backbone", "holds a '" + stored.backbone().name()
                    + "' backbone, the model is configured for '" + name + "'");
        }
        return stored;
    }

    /**
     * A box head for K classes, initialised for pooled inputs of {@code channels × poolSize²}; fc6
     * and fc7 come from {@code fc} when they have the head's shape ({@link PretrainedHead}).
     *
     * @param fc pre-trained fc6 and fc7, or null for a head from scratch
     */
    static BoxHead boxHead(FasterRcnnConfig.Roi q, int numClasses, int channels, NDManager manager, PretrainedFc fc) {
        BoxHead head = new BoxHead(q.fc6(), q.fc7(), numClasses, q.svdFc6(), q.svdFc7());
        head.initialize(manager, DataType.FLOAT32, new Shape(1, channels, q.poolSize(), q.poolSize()));
        if (fc != null && PretrainedHead.fits(fc, q, channels)) fc.loadInto(head, manager);
        return head;
    }

    /**
     * RoI sampling (foreground IoU ≥ {@code fgIoU}, background in [{@code bgLow}, {@code fgIoU}),
     * ground truth added), pooling, the head and its post-processing, with targets normalised by
     * {@link BoxCoder#fastRcnn()} (Fast R-CNN §2.3).
     *
     * @param stride input pixels per cell of the pooled map
     */
    static RoiHeads roiHeads(FasterRcnnConfig.Roi q, FasterRcnnConfig.Test t, int stride, BoxHead head) {
        BoxCoder coder = BoxCoder.fastRcnn();
        RoiTargets targets = new RoiTargets(new Matcher(q.fgIoU(), q.bgLow(), q.fgIoU(), false),
                new BalancedSampler(q.perImage(), q.fgFraction()), coder, true);
        return new RoiHeads(pooler(q), head, 1f / stride, targets,
                new DetectionPostProcessor(coder, t.scoreThreshold(), t.nms(), t.detectionsPerImage()),
                q.boxLossWeight(), q.smoothL1Beta());
    }

    /** RoI max pooling (Fast R-CNN §2.1) or RoIAlign, {@code poolSize × poolSize}. */
    static RoIPooler pooler(FasterRcnnConfig.Roi q) {
        return switch (q.pooler()) {
            case "roi-pool" -> new RoIPool(q.poolSize(), q.poolSize());
            case "roi-align" -> new RoIAlign(q.poolSize(), q.poolSize(), 0, true);
            default -> throw new IllegalArgumentException("pooler: expected roi-pool or roi-align, got " + q.pooler());
        };
    }
}
