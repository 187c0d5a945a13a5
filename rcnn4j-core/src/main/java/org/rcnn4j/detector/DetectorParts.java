package org.rcnn4j.detector;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.rcnn4j.modeling.roiheads.C5BoxHead;
import org.rcnn4j.modeling.roiheads.RegionHead;
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
     * The RoI head {@code q.head()} names for K classes, initialised for pooled inputs of
     * {@code channels × poolSize²}. An fc head takes fc6 and fc7 from {@code start.fc()} when they
     * have its shape ({@link PretrainedHead}); a C5 head starts as a copy of {@code start}'s C5
     * stage, pre-trained or freshly seeded with the rest of the backbone. (The backbone keeps its
     * own C5, which the single-scale detectors never run.)
     *
     * @param start    the model's backbone, with pre-trained fc6 and fc7 or none
     * @param channels C of the pooled features (the backbone's C4, or FPN's pyramid)
     * @throws IllegalArgumentException for an unknown head kind, or a C5 head on a backbone whose C5
     *                                  stage has no weights (zf, vgg16) or with factorised fc layers
     */
    static RegionHead boxHead(FasterRcnnConfig.Roi q, int numClasses, BackboneWeights.Stored start, int channels,
            NDManager manager) {
        Shape pooled = new Shape(1, channels, q.poolSize(), q.poolSize());
        switch (q.head()) {
            case FasterRcnnConfig.Roi.FC_HEAD -> {
                BoxHead head = new BoxHead(q.fc6(), q.fc7(), numClasses, q.svdFc6(), q.svdFc7());
                head.initialize(manager, DataType.FLOAT32, pooled);
                if (start.fc() != null && PretrainedHead.fits(start.fc(), q, channels)) start.fc().loadInto(head, manager);
                return head;
            }
            case FasterRcnnConfig.Roi.C5_HEAD -> {
                Backbone backbone = start.backbone();
                String why = C5BoxHead.unsuitable(backbone);
                if (why != null) throw new IllegalArgumentException("roi.head c5: " + why + "; use roi.head fc");
                if (q.svdFc6() > 0 || q.svdFc7() > 0) {
                    throw new IllegalArgumentException("roi.head c5 has no fc6/fc7 to factorise; set svdFc6 and svdFc7 to 0");
                }
                C5BoxHead head = new C5BoxHead(Backbones.create(backbone.name()).stageBlock("C5"), numClasses);
                head.initialize(manager, DataType.FLOAT32, pooled);
                copyParameters(backbone.stageBlock("C5"), head.c5(), manager);
                return head;
            }
            default -> throw new IllegalArgumentException("roi.head: expected " + FasterRcnnConfig.Roi.FC_HEAD + " or "
                    + FasterRcnnConfig.Roi.C5_HEAD + ", got " + q.head());
        }
    }

    /**
     * Replaces {@code to}'s parameters with copies of {@code from}'s, in {@code manager}, through
     * DJL's own parameter encoding; the blocks must have the same architecture.
     */
    static void copyParameters(Block from, Block to, NDManager manager) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                from.saveParameters(out);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                to.loadParameters(manager, in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("blocks of different architectures: " + e.getMessage(), e);
        }
    }

    /**
     * RoI sampling (foreground IoU ≥ {@code fgIoU}, background in [{@code bgLow}, {@code fgIoU}),
     * ground truth added), pooling, the head and its post-processing, with targets normalised by
     * {@link BoxCoder#fastRcnn()} (Fast R-CNN §2.3).
     *
     * @param stride input pixels per cell of the pooled map
     */
    static RoiHeads roiHeads(FasterRcnnConfig.Roi q, FasterRcnnConfig.Test t, int stride, RegionHead head) {
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
