package org.rcnn4j.config;

/**
 * The region stage: RoI sampling, pooling and the box head (Fast R-CNN §2.1–2.4), with Fast R-CNN's
 * values in {@link #fastRcnn()}. Serialised as {@code roi}. Change one part with a {@code with...}
 * method.
 *
 * @param perImage      RoIs sampled per image (Fast R-CNN: 64 with 2 images per batch; 128 with 1)
 * @param fgFraction    foreground fraction (0.25)
 * @param fgIoU         foreground IoU ≥ (0.5)
 * @param bgLow         background IoU in [bgLow, fgIoU) (0.1 in Fast R-CNN; 0 in Faster R-CNN)
 * @param pooler        RoI max pooling (the paper's) or RoIAlign
 * @param poolSize      H = W of the pooled grid (7)
 * @param fc6           units of fc6 (4096 for VGG16)
 * @param fc7           units of fc7
 * @param boxLossWeight λ (1)
 * @param smoothL1Beta  1 (the paper's smooth L1)
 * @param svdFc6        rank t of fc6's truncated SVD (Fast R-CNN §3.1), 0 when fc6 is not factorised;
 *                      a config without it reads 0
 * @param svdFc7        the same for fc7
 * @param head          fc6 and fc7, or the backbone's C5 stage (fc6, fc7 and the SVD ranks are then
 *                      unused); a config without it reads {@link BoxHeadType#FC}
 * @param samplingRatio RoIAlign's samples per bin and axis; 0 (and a config without it) adapts them to
 *                      the RoI's size, {@code ceil(roi / poolSize)} (Detectron2's default; torchvision's
 *                      detection models use 2)
 * @param aligned       whether RoIAlign shifts a RoI by half a cell so that a continuous box maps to the
 *                      right cells (Mask R-CNN's fix, Detectron2's {@code ROIAlignV2}); a config without
 *                      it reads true. torchvision's detection models pool with false.
 */
public record RoiConfig(int perImage, float fgFraction, float fgIoU, float bgLow, PoolerType pooler, int poolSize, int fc6,
        int fc7, float boxLossWeight, float smoothL1Beta, int svdFc6, int svdFc7, BoxHeadType head, int samplingRatio,
        Boolean aligned) {
    public RoiConfig {
        if (head == null) head = BoxHeadType.FC;
        if (aligned == null) aligned = true;
    }

    /** RoIAlign with adaptive sampling, aligned (or RoI max pooling, where neither applies). */
    public RoiConfig(int perImage, float fgFraction, float fgIoU, float bgLow, PoolerType pooler, int poolSize, int fc6,
            int fc7, float boxLossWeight, float smoothL1Beta, int svdFc6, int svdFc7, BoxHeadType head) {
        this(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta, svdFc6, svdFc7,
                head, 0, true);
    }

    /**
     * Fast R-CNN's region stage (§2.3): 64 RoIs per image (N = 2 images make R = 128), 25 %
     * foreground at IoU ≥ 0.5, background IoU in [0.1, 0.5); RoI max pooling 7×7; fc6 and fc7 of
     * 4096 (VGG16); smooth L1 with λ = 1.
     */
    public static RoiConfig fastRcnn() {
        return new RoiConfig(64, 0.25f, 0.5f, 0.1f, PoolerType.ROI_POOL, 7, 4096, 4096, 1f, 1f, 0, 0, BoxHeadType.FC);
    }

    /** The same with {@code perImage} RoIs per image and background from IoU {@code bgLow}. */
    public RoiConfig withSampling(int perImage, float bgLow) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                svdFc6, svdFc7, head, samplingRatio, aligned);
    }

    /** The same with another pooling. */
    public RoiConfig withPooler(PoolerType type) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, type, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                svdFc6, svdFc7, head, samplingRatio, aligned);
    }

    /** The same with fc6 and fc7 of these sizes. */
    public RoiConfig withFc(int units6, int units7) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, units6, units7, boxLossWeight, smoothL1Beta,
                svdFc6, svdFc7, head, samplingRatio, aligned);
    }

    /** The same with fc6 and fc7 factorised at these ranks (0: not factorised). */
    public RoiConfig withSvd(int rankFc6, int rankFc7) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                rankFc6, rankFc7, head, samplingRatio, aligned);
    }

    /** The same with λ, the box loss weight, at {@code weight} (0: a classifier only, as R-CNN fine-tunes). */
    public RoiConfig withBoxLossWeight(float weight) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, weight, smoothL1Beta,
                svdFc6, svdFc7, head, samplingRatio, aligned);
    }

    /** The same sampling and pooling with another box head. */
    public RoiConfig withHead(BoxHeadType type) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                svdFc6, svdFc7, type, samplingRatio, aligned);
    }

    /** The same with RoIAlign sampling {@code samplingRatio} points per bin and axis (0: adaptive), aligned or not. */
    public RoiConfig withAlignSampling(int ratio, boolean align) {
        return new RoiConfig(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                svdFc6, svdFc7, head, ratio, align);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code roi}). */
    public void validate(String prefix) {
        ConfigException.atLeast(perImage, 1, prefix, "perImage");
        ConfigException.inRange(fgFraction, 0, 1, false, prefix, "fgFraction");
        ConfigException.inRange(fgIoU, 0, 1, false, prefix, "fgIoU");
        ConfigException.inRange(bgLow, 0, fgIoU, true, prefix, "bgLow");
        ConfigException.require(pooler != null, ConfigException.path(prefix, "pooler"), "missing; one of " + PoolerType.names());
        ConfigException.atLeast(poolSize, 1, prefix, "poolSize");
        ConfigException.atLeast(fc6, 1, prefix, "fc6");
        ConfigException.atLeast(fc7, 1, prefix, "fc7");
        ConfigException.atLeast(boxLossWeight, 0, prefix, "boxLossWeight");
        ConfigException.require(smoothL1Beta > 0, ConfigException.path(prefix, "smoothL1Beta"), "must be positive, got " + smoothL1Beta);
        ConfigException.atLeast(samplingRatio, 0, prefix, "samplingRatio");
        ConfigException.inRange(svdFc6, 0, fc6, true, prefix, "svdFc6");
        ConfigException.inRange(svdFc7, 0, Math.min(fc7, fc6), true, prefix, "svdFc7");
        if (head == BoxHeadType.C5) {
            ConfigException.require(svdFc6 == 0 && svdFc7 == 0, ConfigException.path(prefix, "head"),
                    "c5 has no fc6/fc7 to factorise; set svdFc6 and svdFc7 to 0");
        }
    }
}
