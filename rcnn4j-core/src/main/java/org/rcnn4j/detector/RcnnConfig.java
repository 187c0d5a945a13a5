package org.rcnn4j.detector;

import org.rcnn4j.config.BoxRegressionConfig;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.RegionWarpConfig;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.SvmConfig;
import org.rcnn4j.config.SvmDetectorConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.modeling.backbone.Backbones;

/**
 * Everything that defines an R-CNN model (Girshick et al. 2014), with the paper's values in
 * {@link #paper} and a CPU plan in {@link #small}. Serialised as {@code config} in
 * {@code model.json}; the proposals are a run-time input, as for Fast R-CNN.
 *
 * @param backbone      backbone name ({@code org.rcnn4j.modeling.backbone.Backbones}); with the
 *                      pooling and fc6, fc7 of {@code roi}, the network each warped region runs through
 * @param numClasses    K, object classes (background excluded)
 * @param input         the scale images are read at before regions are warped from them
 * @param maxProposals  the best this many proposals per image (2000: selective search's fast mode)
 * @param frozenStages  backbone stages, from the first, left untrained in fine-tuning
 * @param warp          the region warp (§2.1)
 * @param roi           fine-tuning's sampling (§2.3: 32 foreground at IoU ≥ 0.5, ground truth
 *                      included, and 96 background per 128), the whole-window pooling (RoIAlign,
 *                      {@code poolSize}) and fc6, fc7; {@code boxLossWeight} 0, since R-CNN
 *                      fine-tunes a classifier only
 * @param svm           the class SVMs (§2.3)
 * @param boxRegression the box regressors (Appendix C)
 * @param test          post-processing; {@code scoreThreshold} is an SVM margin (0 is the SVM's own
 *                      boundary; -1 keeps the near misses evaluation counts), NMS 0.3 (§2.2)
 */
public record RcnnConfig(String backbone, int numClasses, InputConfig input, int maxProposals, int frozenStages,
        RegionWarpConfig warp, RoiConfig roi, SvmConfig svm, BoxRegressionConfig boxRegression, TestConfig test)
        implements SvmDetectorConfig {

    /** Margins above this are kept at test by default: the SVMs' negative margin. */
    public static final float SCORE_THRESHOLD = -1f;

    /**
     * The paper's R-CNN: 227×227 warps with 16 pixels of context, 2000 proposals; fine-tuning on
     * batches of 128 regions (2 images × 64, 25 % foreground at IoU ≥ 0.5, background IoU in [0, 0.5));
     * fc6 and fc7 of 4096; SVMs C = 0.001, w1 = 2, B = 10, negatives below IoU 0.3, features at
     * mean norm 20; box regression λ = 1000 on pairs of IoU &gt; 0.6; NMS 0.3, 100 per image.
     */
    public static RcnnConfig paper(String backbone, int numClasses) {
        RoiConfig roi = RoiConfig.fastRcnn().withSampling(64, 0f).withPooler(PoolerType.ROI_ALIGN).withBoxLossWeight(0f);
        return new RcnnConfig(backbone, numClasses, InputConfig.single(600), 2000, 0, RegionWarpConfig.paper(), roi,
                SvmConfig.rcnn(), BoxRegressionConfig.rcnn(), new TestConfig(SCORE_THRESHOLD, 0.3f, 100));
    }

    /**
     * The paper's rules for a CPU backbone: images at a data-planned {@code shortSide}, each region
     * warped to the size the backbone is pre-trained at ({@code pretrain}: 64 for {@code tiny}, 96
     * for the others) with the paper's context scaled to it, fc6 and fc7 of 512 (the pre-trained
     * fc layers' size), the first block frozen as the other detectors' CPU plans.
     */
    public static RcnnConfig small(String backbone, int numClasses, int shortSide) {
        RcnnConfig p = paper(backbone, numClasses);
        return new RcnnConfig(backbone, numClasses, InputConfig.single(shortSide), p.maxProposals(), 1,
                RegionWarpConfig.scaledTo(pretrainingSize(backbone)), p.roi().withFc(512, 512), p.svm(), p.boxRegression(),
                p.test());
    }

    /** The input side {@code pretrain} trains {@code backbone} at: 64 for {@code tiny}, 96 for the others. */
    public static int pretrainingSize(String backbone) {
        return "tiny".equals(backbone) ? 64 : 96;
    }

    @Override
    public RcnnConfig withNumClasses(int k) {
        return new RcnnConfig(backbone, k, input, maxProposals, frozenStages, warp, roi, svm, boxRegression, test);
    }

    @Override
    public RcnnConfig withInput(InputConfig in) {
        return new RcnnConfig(backbone, numClasses, in, maxProposals, frozenStages, warp, roi, svm, boxRegression, test);
    }

    @Override
    public RcnnConfig withRoi(RoiConfig r) {
        return new RcnnConfig(backbone, numClasses, input, maxProposals, frozenStages, warp, r, svm, boxRegression, test);
    }

    @Override
    public RcnnConfig withTest(TestConfig t) {
        return new RcnnConfig(backbone, numClasses, input, maxProposals, frozenStages, warp, roi, svm, boxRegression, t);
    }

    /** The same with another warp. */
    public RcnnConfig withWarp(RegionWarpConfig w) {
        return new RcnnConfig(backbone, numClasses, input, maxProposals, frozenStages, w, roi, svm, boxRegression, test);
    }

    /** The same with other SVM settings. */
    @Override
    public RcnnConfig withSvm(SvmConfig s) {
        return new RcnnConfig(backbone, numClasses, input, maxProposals, frozenStages, warp, roi, s, boxRegression, test);
    }

    /** The same keeping the best {@code n} proposals per image. */
    public RcnnConfig withMaxProposals(int n) {
        return new RcnnConfig(backbone, numClasses, input, n, frozenStages, warp, roi, svm, boxRegression, test);
    }

    /** The backbone's output channels, which the whole-window pooling keeps. */
    @Override
    public int pooledChannels() {
        return DetectorParts.outputChannels(backbone);
    }

    @Override
    public String summary() {
        return "s = " + input.shortSide() + ", warp " + warp.size() + "×" + warp.size() + " (context " + warp.context() + ")";
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.require(maxProposals >= 1, "maxProposals", "must be positive, got " + maxProposals);
        ConfigException.require(frozenStages >= 0, "frozenStages", "must be at least 0, got " + frozenStages);
        ConfigException.present(warp, "warp").validate("warp");
        RoiHeadConfig.validateRegionStage(this);
        ConfigException.require(roi.pooler() == PoolerType.ROI_ALIGN, "roi.pooler",
                "R-CNN pools each warped region's whole map by roi-align, as pre-training does");
        ConfigException.require(roi.svdFc6() == 0 && roi.svdFc7() == 0, "roi.svdFc6",
                "R-CNN's fc layers are not factorised");
        ConfigException.require(roi.head() == org.rcnn4j.config.BoxHeadType.FC, "roi.head", "R-CNN's network ends in fc6, fc7");
        ConfigException.present(svm, "svm").validate("svm");
        ConfigException.present(boxRegression, "boxRegression").validate("boxRegression");
        ConfigException.require(Backbones.create(backbone).output().stride() <= warp.size(), "warp.size",
                "smaller than the backbone's stride " + Backbones.create(backbone).output().stride());
    }
}
