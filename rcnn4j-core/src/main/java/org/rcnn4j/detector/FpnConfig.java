package org.rcnn4j.detector;

import java.util.Arrays;
import org.rcnn4j.config.AnchorConfig;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.ResizeConvention;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.RpnConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Dataset;

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
 * @param frozenStages backbone stages, from the stem, left untrained (0, and a config without it:
 *                   all train; torchvision fine-tunes its ResNet-50 with the stem and C2 frozen, 2)
 */
public record FpnConfig(String backbone, int numClasses, InputConfig input, Pyramid pyramid, RpnConfig rpn, RoiConfig roi,
        TestConfig test, int frozenStages) implements RoiHeadConfig {

    /** Every backbone stage trained. */
    public FpnConfig(String backbone, int numClasses, InputConfig input, Pyramid pyramid, RpnConfig rpn, RoiConfig roi,
            TestConfig test) {
        this(backbone, numClasses, input, pyramid, rpn, roi, test, 0);
    }

    /** Levels P2..P6 carry the RPN's anchors; P2..P5 the RoIs. */
    public static final int RPN_LEVELS = 5;

    /**
     * @param channels      d, channels of every P level (§3: 256)
     * @param anchorSizes   anchor side on each of P2..P6 in input pixels (§4.1: 32, 64, 128, 256, 512)
     * @param anchorRatios  aspect ratios h/w at every level (§4.1: 1:2, 1:1, 2:1)
     * @param canonicalSize the RoI side eq. 1 maps to P4 (224, ImageNet's size)
     * @param roundAnchors  whether each level's cell anchors are rounded to whole pixels (round half to
     *                      even), as torchvision's {@code AnchorGenerator} makes them; false (and a
     *                      config without it): exact sides
     * @param stridesFromSizes whether a level's anchors step by the input's size divided (integer
     *                      division) by the level's, per axis, as torchvision's {@code AnchorGenerator}
     *                      does, rather than by the level's nominal stride. They differ on P6, whose
     *                      side is {@code ceil(P5 / 2)}: a 544-pixel input gives a P6 of 9 cells and a
     *                      step of 60 pixels, not 64. Needs {@code input.sizeDivisibility} a multiple
     *                      of 32, so that P2's cells times 4 are the input's size.
     */
    public record Pyramid(int channels, float[] anchorSizes, float[] anchorRatios, float canonicalSize, boolean roundAnchors,
            boolean stridesFromSizes) {
        public Pyramid {
            anchorSizes = anchorSizes == null ? null : anchorSizes.clone();
            anchorRatios = anchorRatios == null ? null : anchorRatios.clone();
        }

        /** Exact anchor sides at the levels' nominal strides. */
        public Pyramid(int channels, float[] anchorSizes, float[] anchorRatios, float canonicalSize) {
            this(channels, anchorSizes, anchorRatios, canonicalSize, false, false);
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
                    && Arrays.equals(anchorRatios, p.anchorRatios) && Float.compare(canonicalSize, p.canonicalSize) == 0
                    && roundAnchors == p.roundAnchors && stridesFromSizes == p.stridesFromSizes;
        }

        @Override
        public int hashCode() {
            int h = 31 * (31 * (31 * channels + Arrays.hashCode(anchorSizes)) + Arrays.hashCode(anchorRatios))
                    + Float.hashCode(canonicalSize);
            return 31 * (31 * h + Boolean.hashCode(roundAnchors)) + Boolean.hashCode(stridesFromSizes);
        }

        @Override
        public String toString() {
            return "Pyramid[channels=" + channels + ", anchorSizes=" + Arrays.toString(anchorSizes) + ", anchorRatios="
                    + Arrays.toString(anchorRatios) + ", canonicalSize=" + canonicalSize + ", roundAnchors=" + roundAnchors
                    + ", stridesFromSizes=" + stridesFromSizes + "]";
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
     * The stages torchvision leaves frozen when it fine-tunes (its {@code trainable_backbone_layers}
     * default of 3 trains layer2..layer4): the stem and C2.
     */
    static final int TORCHVISION_FROZEN_STAGES = 2;

    /**
     * torchvision's {@code fasterrcnn_resnet50_fpn} (v1) exactly, for its imported weights: ResNet-50
     * with its frozen BatchNorm folded into the convolutions; the transform (normalise, resize in
     * float to a shorter side of 800 capped at 1333, pad to 32); anchors 32..512 on P2..P6 rounded to
     * whole pixels and stepped by the input's size over the level's; the RPN's test rules (1000 per
     * level before NMS, NMS 0.7 per level, 1000 kept; 2000 in training), proposals under 1e-3 pixels
     * dropped; RoIAlign 7×7 with 2 samples per bin and axis, not aligned; 512 RoIs per image, 25 %
     * foreground, background below IoU 0.5; fc6 and fc7 of 1024; smooth L1 with β = 1/9 in both
     * stages; score > 0.05, per-class NMS 0.5, 100 per image; in fine-tuning, the stem and C2 frozen.
     *
     * @param numClasses K (90 for COCO's slots 1..90, torchvision's numbering)
     */
    public static FpnConfig torchvision(int numClasses) {
        FpnConfig p = paper("resnet50-frozen-bn", numClasses);
        return new FpnConfig(p.backbone(), numClasses,
                p.input().withTestTransform(32, ResizeConvention.TORCHVISION),
                new Pyramid(256, p.pyramid().anchorSizes(), p.pyramid().anchorRatios(), 224, true, true),
                p.rpn().withMinSize(1e-3f).withNmsPerLevel(true),
                new RoiConfig(512, 0.25f, 0.5f, 0f, PoolerType.ROI_ALIGN, 7, 1024, 1024, 1f, 1f / 9, 0, 0, BoxHeadType.FC, 2,
                        false),
                p.test(), TORCHVISION_FROZEN_STAGES);
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

    /**
     * What {@code train} plans for FPN on {@code train}: {@link #small} at the scale of
     * {@link InputPlan} for {@value Fpn#SMALL_OBJECT_TARGET}-pixel small objects with the smallest
     * anchor on P2, trained with scale jitter about that scale ({@link InputConfig#withScaleJitter}:
     * 224, 256 or 288 pixels for s = 256). On 200 {@code shapes} images of three data seeds the jitter
     * raised val voc07 from 0.857, 0.873 and 0.859 to 0.880, 0.896 and 0.869
     * (bench/results/small_data_defaults.md).
     */
    public static FpnConfig planned(String backbone, Dataset train) {
        InputPlan plan = InputPlan.of(train, Fpn.SMALL_OBJECT_TARGET);
        FpnConfig c = small(backbone, train.numClasses(), plan.shortSide(), plan.anchorSizes()[0]);
        return c.withInput(c.input().withScaleJitter());
    }

    @Override
    public int testProposals() {
        return rpn.postNmsTest();
    }

    /** Also raises the per-level top-N before NMS to at least {@code n}. */
    @Override
    public FpnConfig withTestProposals(int n) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn.withTestTopN(n), roi, test, frozenStages);
    }

    @Override
    public FpnConfig withNumClasses(int k) {
        return new FpnConfig(backbone, k, input, pyramid, rpn, roi, test, frozenStages);
    }

    @Override
    public FpnConfig withInput(InputConfig in) {
        return new FpnConfig(backbone, numClasses, in, pyramid, rpn, roi, test, frozenStages);
    }

    @Override
    public FpnConfig withRoi(RoiConfig r) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn, r, test, frozenStages);
    }

    @Override
    public FpnConfig withTest(TestConfig t) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn, roi, t, frozenStages);
    }

    /** The pyramid's d channels: RoIs are pooled from P2..P5. */
    @Override
    public int pooledChannels() {
        return pyramid.channels();
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.require(frozenStages >= 0, "frozenStages", "must be at least 0, got " + frozenStages);
        ConfigException.present(pyramid, "pyramid").validate("pyramid");
        // The input's size is read off P2 (its cells times 4), exact only when every level halves exactly.
        ConfigException.require(!pyramid.stridesFromSizes() || input.sizeDivisibility() % 32 == 0, "pyramid.stridesFromSizes",
                "needs input.sizeDivisibility a multiple of 32, got " + input.sizeDivisibility());
        ConfigException.present(rpn, "rpn").validate("rpn");
        RoiHeadConfig.validateRegionStage(this);
        ConfigException.require(roi.head() == BoxHeadType.FC, "roi.head", "FPN's head is fc6 and fc7 (FPN §4.2), not " + roi.head());
    }

    @Override
    public String summary() {
        return "s = " + input.shortSide() + ", anchors on P2..P6 " + Arrays.toString(pyramid.anchorSizes());
    }
}
