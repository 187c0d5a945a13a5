package org.rcnn4j.detector;

import java.nio.file.Path;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.modeling.backbone.PretrainedFc;

/**
 * Whether a detector's box head starts from the fc6 and fc7 stored with its pre-trained backbone
 * (Fast R-CNN §2.2: RoI pooling feeds the pre-trained fully connected layers; only the class and
 * box layers are new). They are used when the weights file holds them and their shape is the
 * head's: the same pooled channels and grid and the same fc sizes, not factorised. Otherwise the
 * head starts fresh; FPN's head, for one, reads pyramid features the backbone never produced.
 */
public final class PretrainedHead {
    private PretrainedHead() {}

    /** Whether {@code fc} can start a head of {@code roi} over {@code channels}-channel features. */
    static boolean fits(PretrainedFc fc, RoiConfig roi, int channels) {
        return why(fc, roi, channels) == null;
    }

    /**
     * How {@code config}'s box head starts when trained from {@code weights}, in one line for the
     * training log and {@code model.json}: {@code "fc6, fc7 pre-trained"}, {@code "C5 pre-trained"}
     * (a {@link org.rcnn4j.modeling.roiheads.C5Head}) or {@code "fresh: ..."} with the reason.
     */
    public static String describe(DetectorConfig config, Path weights) {
        if (weights == null) return "fresh: no pre-trained weights";
        if (!(config instanceof RoiHeadConfig c)) return "fresh: the detector has no Fast R-CNN head";
        if (c.roi().head() == BoxHeadType.C5) return "C5 pre-trained (the backbone's conv5_x)";
        PretrainedFc fc = BackboneWeights.readFc(weights);
        if (fc == null) return "fresh: " + weights.getFileName() + " holds the backbone only";
        String why = c instanceof SppNetConfig spp ? whyNot(fc, spp) : why(fc, c.roi(), c.pooledChannels());
        return why == null ? "fc6, fc7 pre-trained" : "fresh: " + why;
    }

    /** Whether {@code fc} can start SPP-net's head of {@code config}. */
    static boolean fits(PretrainedFc fc, SppNetConfig config) {
        return whyNot(fc, config) == null;
    }

    private static String whyNot(PretrainedFc fc, SppNetConfig config) {
        return fc.pyramidMismatch(config.pooledChannels(), config.sppLevels(), config.roi().fc6(), config.roi().fc7());
    }

    private static String why(PretrainedFc fc, RoiConfig roi, int channels) {
        if (roi.svdFc6() > 0 || roi.svdFc7() > 0) return "fc6/fc7 are factorised by truncated SVD";
        return fc.mismatch(channels, roi.poolSize(), roi.fc6(), roi.fc7());
    }
}
