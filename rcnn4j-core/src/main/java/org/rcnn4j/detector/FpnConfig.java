package org.rcnn4j.detector;

import java.util.Arrays;
import org.rcnn4j.config.AnchorConfig;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.RpnConfig;
import org.rcnn4j.config.TestConfig;

/**
 * Everything that defines an FPN detector (Lin et al. 2017) — Faster R-CNN's RPN and Fast R-CNN head
 * on a feature pyramid — with the paper's values in {@link #paper}. The RPN, RoI and test rules
 * are the shared sections, read per level where the pyramid changes their meaning (the pre-NMS
 * top-N is taken per level). Serialised as {@code config} in {@code model.json}.
 *
 * @param backbone   backbone name ({@code org.rcnn4j.modeling.backbone.Backbones}); its C2..C5 feed the pyramid
 * @param numClasses K, object classes (background excluded)
 * @param input      image scaling
 * @param pyramid    the pyramid's width, its anchors and the RoI-to-level rule
 * @param rpn        RPN rules; {@code preNmsTrain}/{@code preNmsTest} are per level
 * @param roi        RoI sampling, pooling and the head's size (fc6 and fc7: FPN's head is the 2-fc one, §4.2)
 * @param test       post-processing
 */
public record FpnConfig(String backbone, int numClasses, InputConfig input, Pyramid pyramid, RpnConfig rpn, RoiConfig roi,
        TestConfig test) implements RoiHeadConfig {

    /** Levels P2..P6 carry the RPN's anchors; P2..P5 the RoIs. */
    public static final int RPN_LEVELS = 5;

    /**
     * @param channels      d, channels of every P level (§3: 256)
     * @param anchorSizes   anchor side on each of P2..P6 in input pixels (§4.1: 32, 64, 128, 256, 512)
     * @param anchorRatios  aspect ratios h/w at every level (§4.1: 1:2, 1:1, 2:1)
     * @param canonicalSize the RoI side eq. 1 maps to P4 (224, ImageNet's size)
     */
    public record Pyramid(int channels, float[] anchorSizes, float[] anchorRatios, float canonicalSize) {
        public Pyramid {
            anchorSizes = anchorSizes == null ? null : anchorSizes.clone();
            anchorRatios = anchorRatios == null ? null : anchorRatios.clone();
        }

        @Override
        public float[] anchorSizes() {
            return anchorSizes.clone();
        }

        @Override
        public float[] anchorRatios() {
            return anchorRatios.clone();
        }

        /** A, anchors per position of a level: one size × the ratios. */
        public int perCell() {
            return anchorRatios.length;
        }

        /** Checks every field; {@code prefix} is this section's path ({@code pyramid}). */
        public void validate(String prefix) {
            ConfigException.require(channels >= 1, prefix + ".channels", "must be positive, got " + channels);
            new AnchorConfig(anchorSizes, anchorRatios).validate(prefix);
            ConfigException.require(anchorSizes.length == RPN_LEVELS, prefix + ".anchorSizes",
                    "needs one size for each of P2..P6, got " + anchorSizes.length);
            ConfigException.require(canonicalSize > 0, prefix + ".canonicalSize", "must be positive, got " + canonicalSize);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pyramid p && channels == p.channels && Arrays.equals(anchorSizes, p.anchorSizes)
                    && Arrays.equals(anchorRatios, p.anchorRatios) && Float.compare(canonicalSize, p.canonicalSize) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * channels + Arrays.hashCode(anchorSizes)) + Arrays.hashCode(anchorRatios))
                    + Float.hashCode(canonicalSize);
        }

        @Override
        public String toString() {
            return "Pyramid[channels=" + channels + ", anchorSizes=" + Arrays.toString(anchorSizes) + ", anchorRatios="
                    + Arrays.toString(anchorRatios) + ", canonicalSize=" + canonicalSize + "]";
        }
    }

    /**
     * The paper's FPN detector (§4.1, §4.2, and Detectron's end-to-end FPN defaults): s = 800 (max
     * 1333), d = 256, anchors 32²..512² on P2..P6 × 3 ratios, pre-NMS top 2000 per level in
     * training (1000 at test), NMS 0.7, 2000 proposals kept in training and 1000 at test, 512 RoIs
     * per image with 25% foreground, RoIAlign 7×7 from P_k (eq. 1, canonical 224), two fc layers of
     * 1024, per-class NMS 0.5.
     */
    public static FpnConfig paper(String backbone, int numClasses) {
        return new FpnConfig(backbone, numClasses, new InputConfig(800, 1333, new int[] {800}, null),
                new Pyramid(256, new float[] {32, 64, 128, 256, 512}, AnchorConfig.PAPER_RATIOS, 224),
                RpnConfig.fasterRcnn().withProposals(2000, 2000, 1000, 1000).withMinSize(0f),
                RoiConfig.fastRcnn().withSampling(512, 0f).withPooler(PoolerType.ROI_ALIGN).withFc(1024, 1024),
                TestConfig.withNms(0.5f));
    }

    /**
     * The paper's rules scaled to small images and CPU backbones, as {@link FasterRcnnConfig#small}:
     * the pyramid narrower (d = 64), anchors that follow the objects (the smallest planned size on
     * P2, doubling per level as the paper's 32..512 do), fewer proposals (500 per level before NMS,
     * 500 kept in training, 300 at test), 128 RoIs per image and fc layers of 512. The canonical
     * RoI side of eq. 1 is 448 scaled by s / 800 (the paper's image size): one level finer than the
     * paper's 224 would give. Measured with the tiny backbone from scratch on {@code shapes} at
     * s = 256 (1500 iterations, fc 256; 2026-11-24, commit f2f2531): canonical 72 (224 scaled) voc07
     * 0.40, 143 0.49, 286 0.50; a network trained from scratch classifies small RoIs better from more
     * cells of a finer level.
     *
     * @param shortSide      image shorter side in pixels
     * @param smallestAnchor anchor side on P2 in pixels
     */
    public static FpnConfig small(String backbone, int numClasses, int shortSide, float smallestAnchor) {
        FpnConfig p = paper(backbone, numClasses);
        float[] sizes = new float[RPN_LEVELS];
        for (int l = 0; l < RPN_LEVELS; l++) sizes[l] = smallestAnchor * (1 << l);
        return new FpnConfig(backbone, numClasses, InputConfig.single(shortSide),
                new Pyramid(64, sizes, p.pyramid().anchorRatios(), 448f * shortSide / 800),
                p.rpn().withProposals(500, 500, 500, 300),
                p.roi().withSampling(128, 0f).withFc(512, 512), p.test());
    }

    @Override
    public int testProposals() {
        return rpn.postNmsTest();
    }

    /** Also raises the per-level top-N before NMS to at least {@code n}. */
    @Override
    public FpnConfig withTestProposals(int n) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn.withTestTopN(n), roi, test);
    }

    @Override
    public FpnConfig withNumClasses(int k) {
        return new FpnConfig(backbone, k, input, pyramid, rpn, roi, test);
    }

    @Override
    public FpnConfig withInput(InputConfig in) {
        return new FpnConfig(backbone, numClasses, in, pyramid, rpn, roi, test);
    }

    @Override
    public FpnConfig withRoi(RoiConfig r) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn, r, test);
    }

    @Override
    public FpnConfig withTest(TestConfig t) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn, roi, t);
    }

    /** The pyramid's d channels: RoIs are pooled from P2..P5. */
    @Override
    public int pooledChannels() {
        return pyramid.channels();
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.present(pyramid, "pyramid").validate("pyramid");
        ConfigException.present(rpn, "rpn").validate("rpn");
        RoiHeadConfig.validateRegionStage(this);
        ConfigException.require(roi.head() == BoxHeadType.FC, "roi.head", "FPN's head is fc6 and fc7 (FPN §4.2), not " + roi.head());
    }

    @Override
    public String summary() {
        return "s = " + input.shortSide() + ", anchors on P2..P6 " + Arrays.toString(pyramid.anchorSizes());
    }
}
