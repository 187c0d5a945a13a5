package org.rcnn4j.detector;

import java.util.List;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.BoxRegressionConfig;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.ImagePyramid;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.SvmConfig;
import org.rcnn4j.config.SvmDetectorConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.modeling.poolers.SpatialPyramidPooling;

/**
 * Everything that defines an SPP-net detector (He et al. 2014, §4), with the paper's values in
 * {@link #paper} and {@link #paperPyramid} and CPU plans in {@link #small} and {@link #smallPyramid}.
 * Serialised as {@code config} in {@code model.json}; the proposals are a run-time input.
 *
 * @param backbone           backbone name; its convolutional layers run once per image and scale
 *                           and stay as pre-trained (the paper fine-tunes the fc layers only, §4.1)
 * @param numClasses         K, object classes (background excluded)
 * @param input              the longer-side cap ({@code maxSize}) of every scale; {@code shortSide}
 *                           the first of the pyramid's scales
 * @param pyramid            the scales the conv maps are computed at, in training and at test, and
 *                           the area rule choosing each window's scale (§4.1 "multi-scale feature
 *                           extraction"); one scale is the paper's 1-scale SPP-net
 * @param maxProposals       the best this many proposals per image (2000: selective search's fast mode)
 * @param sppLevels          bins per side of each pyramid level (§4.1: 6, 3, 2, 1, 50 bins)
 * @param roi                fine-tuning's sampling (§4.1: foreground IoU ≥ 0.5, background in
 *                           [0.1, 0.5), 25 % foreground) and fc6, fc7; the pooling is the spatial
 *                           pyramid, so {@code pooler} is max pooling ({@code roi-pool}) and
 *                           {@code poolSize} is unused
 * @param fineTuneBackground background windows cached per image for fine-tuning, a seeded random
 *                           subset when an image has more; 0 caches all of them (the paper's)
 * @param svm                the class SVMs (as R-CNN's, §4.1)
 * @param boxRegression      the box regressors on the pooled conv features (λ = 4000, IoU &gt; 0.5)
 * @param test               post-processing: SVM margins above {@code scoreThreshold}, NMS 0.3 (as R-CNN)
 */
public record SppNetConfig(String backbone, int numClasses, InputConfig input, ImagePyramid pyramid, int maxProposals,
        List<Integer> sppLevels, RoiConfig roi, int fineTuneBackground, SvmConfig svm, BoxRegressionConfig boxRegression,
        TestConfig test) implements SvmDetectorConfig {

    /** The paper's single scale (§4.1): the shorter side resized to 688. */
    public static final int PAPER_SCALE = 688;
    /** The paper's five scales (§4.1): shorter sides {480, 576, 688, 864, 1200}. */
    public static final int[] PAPER_PYRAMID = {480, 576, 688, 864, 1200};
    /**
     * The base learning rate of fine-tuning (2 images × 64 windows): fc6, fc7 and the classifier start
     * fresh on raw max-pooled conv features, where the other detectors' 0.02 to 0.04 diverges. On 200
     * {@code shapes} images (tiny): voc07 0.561 at 0.003, 0.527 at 0.001, 0.428 at 0.006; at 0.01 and
     * 0.04 the fine-tuning loss settled where predicting background everywhere puts it (voc07 below
     * 0.01; bench/results/spp_net.md).
     */
    public static final float FINE_TUNE_LR = 0.003f;

    /** Background windows per image the CPU plans cache for fine-tuning. */
    public static final int SMALL_FINE_TUNE_BACKGROUND = 256;

    public SppNetConfig {
        sppLevels = sppLevels == null ? null : List.copyOf(sppLevels);
    }

    /**
     * The paper's 1-scale SPP-net (§4.1): s = 688; 2000 proposals; the 50-bin pyramid; fine-tuning
     * fc6, fc7 of 4096 and a new (K+1)-way classifier on batches of 2 × 64 windows, 25 % foreground at
     * IoU ≥ 0.5, background in [0.1, 0.5); SVMs as R-CNN's; box regression λ = 4000 on pairs of IoU
     * &gt; 0.5; NMS 0.3, 100 per image.
     */
    public static SppNetConfig paper(String backbone, int numClasses) {
        RcnnConfig rcnn = RcnnConfig.paper(backbone, numClasses);
        return new SppNetConfig(backbone, numClasses, InputConfig.single(PAPER_SCALE), ImagePyramid.single(PAPER_SCALE), 2000,
                SpatialPyramidPooling.DEFAULT_LEVELS, RoiConfig.fastRcnn().withBoxLossWeight(0f), 0, SvmConfig.rcnn(),
                BoxRegressionConfig.sppNet(), rcnn.test());
    }

    /** The paper's 5-scale SPP-net (§4.1): each window pooled at the scale where its area is nearest 224². */
    public static SppNetConfig paperPyramid(String backbone, int numClasses) {
        return paper(backbone, numClasses).withScales(ImagePyramid.CANONICAL_SIDE, PAPER_PYRAMID);
    }

    /**
     * The paper's rules for a CPU backbone at a data-planned scale {@code shortSide} (as R-CNN's
     * {@link RcnnConfig#small}): fc6 and fc7 of 512, {@value #SMALL_FINE_TUNE_BACKGROUND} background
     * windows cached per image for fine-tuning.
     */
    public static SppNetConfig small(String backbone, int numClasses, int shortSide) {
        SppNetConfig p = paper(backbone, numClasses);
        return new SppNetConfig(backbone, numClasses, InputConfig.single(shortSide), ImagePyramid.single(shortSide),
                p.maxProposals(), p.sppLevels(), p.roi().withFc(512, 512), SMALL_FINE_TUNE_BACKGROUND, p.svm(),
                p.boxRegression(), p.test());
    }

    /**
     * {@link #small} with the paper's five scales scaled by {@code shortSide / 688} and the target
     * window side scaled from 224 (ImageNet's input) to the size the backbone is pre-trained at
     * ({@link RcnnConfig#pretrainingSize}).
     */
    public static SppNetConfig smallPyramid(String backbone, int numClasses, int shortSide) {
        int[] scales = new int[PAPER_PYRAMID.length];
        for (int i = 0; i < scales.length; i++) scales[i] = Math.round(PAPER_PYRAMID[i] * (float) shortSide / PAPER_SCALE);
        return small(backbone, numClasses, shortSide).withScales(RcnnConfig.pretrainingSize(backbone), scales);
    }

    /**
     * This config with the conv maps computed at {@code scales} (ascending shorter sides; their longer
     * sides capped at 5/3 of the largest), each window pooled at the one where its area is nearest
     * {@code canonicalSide²}.
     */
    public SppNetConfig withScales(int canonicalSide, int... scales) {
        InputConfig in = new InputConfig(scales[0], InputConfig.maxSizeFor(scales[scales.length - 1]), scales,
                input.augmentation());
        return new SppNetConfig(backbone, numClasses, in, new ImagePyramid(scales, canonicalSide), maxProposals, sppLevels,
                roi, fineTuneBackground, svm, boxRegression, test);
    }

    @Override
    public ImagePyramid testPyramid() {
        return pyramid;
    }

    @Override
    public SppNetConfig withNumClasses(int k) {
        return new SppNetConfig(backbone, k, input, pyramid, maxProposals, sppLevels, roi, fineTuneBackground, svm,
                boxRegression, test);
    }

    @Override
    public SppNetConfig withInput(InputConfig in) {
        return new SppNetConfig(backbone, numClasses, in, pyramid, maxProposals, sppLevels, roi, fineTuneBackground, svm,
                boxRegression, test);
    }

    @Override
    public SppNetConfig withRoi(RoiConfig r) {
        return new SppNetConfig(backbone, numClasses, input, pyramid, maxProposals, sppLevels, r, fineTuneBackground, svm,
                boxRegression, test);
    }

    @Override
    public SppNetConfig withTest(TestConfig t) {
        return new SppNetConfig(backbone, numClasses, input, pyramid, maxProposals, sppLevels, roi, fineTuneBackground, svm,
                boxRegression, t);
    }

    /** The same with other SVM settings. */
    @Override
    public SppNetConfig withSvm(SvmConfig s) {
        return new SppNetConfig(backbone, numClasses, input, pyramid, maxProposals, sppLevels, roi, fineTuneBackground, s,
                boxRegression, test);
    }

    /** The same keeping the best {@code n} proposals per image. */
    public SppNetConfig withMaxProposals(int n) {
        return new SppNetConfig(backbone, numClasses, input, pyramid, n, sppLevels, roi, fineTuneBackground, svm,
                boxRegression, test);
    }

    /** The backbone's output channels, which the pyramid pooling keeps. */
    @Override
    public int pooledChannels() {
        return DetectorParts.outputChannels(backbone);
    }

    /** The whole backbone: SPP-net fine-tunes its fully connected layers only (§4.1). */
    @Override
    public int frozenStages() {
        return Integer.MAX_VALUE;
    }

    /** The pyramid pooling layer of this config. */
    public SpatialPyramidPooling spp() {
        return new SpatialPyramidPooling(sppLevels);
    }

    @Override
    public String summary() {
        int[] s = pyramid.testScales();
        String scales = s.length == 1 ? "s = " + s[0] : "s ∈ " + java.util.Arrays.toString(s) + " (windows nearest "
                + pyramid.canonicalSide() + "²)";
        return scales + ", spatial pyramid " + sppLevels;
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.present(pyramid, "pyramid").validate("pyramid");
        ConfigException.require(maxProposals >= 1, "maxProposals", "must be positive, got " + maxProposals);
        ConfigException.require(sppLevels != null && !sppLevels.isEmpty(), "sppLevels", "needs at least one level");
        for (int n : sppLevels) ConfigException.require(n >= 1, "sppLevels", "each level must be at least 1x1, got " + n);
        RoiHeadConfig.validateRegionStage(this);
        ConfigException.require(roi.pooler() == PoolerType.ROI_POOL, "roi.pooler",
                "SPP-net max-pools each window by its spatial pyramid (sppLevels): roi-pool");
        ConfigException.require(roi.svdFc6() == 0 && roi.svdFc7() == 0, "roi.svdFc6", "SPP-net's fc layers are not factorised");
        ConfigException.require(roi.head() == BoxHeadType.FC, "roi.head", "SPP-net's head is fc6, fc7");
        ConfigException.require(fineTuneBackground >= 0, "fineTuneBackground", "must be at least 0, got " + fineTuneBackground);
        ConfigException.present(svm, "svm").validate("svm");
        ConfigException.present(boxRegression, "boxRegression").validate("boxRegression");
        for (int s : pyramid.testScales()) {
            ConfigException.require(s <= input.maxSize(), "input.maxSize", "below the pyramid's scale " + s);
        }
    }
}
