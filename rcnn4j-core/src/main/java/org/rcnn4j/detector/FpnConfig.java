package org.rcnn4j.detector;

/**
 * Everything that defines an FPN detector (Lin et al. 2017) — Faster R-CNN's RPN and Fast R-CNN head
 * on a feature pyramid — with the paper's values in {@link #paper}. The RPN, RoI and test rules
 * are Faster R-CNN's records, read per level where the pyramid changes their meaning (the pre-NMS
 * top-N is taken per level). Serialised as {@code config} in {@code model.json}.
 *
 * @param backbone   backbone name ({@code org.rcnn4j.modeling.backbone.Backbones}); its C2..C5 feed the pyramid
 * @param numClasses K, object classes (background excluded)
 * @param input      image scaling
 * @param pyramid    the pyramid's width, its anchors and the RoI-to-level rule
 * @param rpn        RPN rules; {@code preNmsTrain}/{@code preNmsTest} are per level
 * @param roi        RoI sampling, pooling and the head's size
 * @param test       post-processing
 */
public record FpnConfig(String backbone, int numClasses, FasterRcnnConfig.Input input, Pyramid pyramid,
        FasterRcnnConfig.Rpn rpn, FasterRcnnConfig.Roi roi, FasterRcnnConfig.Test test) implements RoiHeadConfig {

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
            if (channels < 1) throw new IllegalArgumentException("pyramid channels must be positive: " + channels);
            if (anchorSizes.length != RPN_LEVELS) {
                throw new IllegalArgumentException("need one anchor size for each of P2..P6, got " + anchorSizes.length);
            }
            if (anchorRatios.length == 0) throw new IllegalArgumentException("need at least one anchor ratio");
        }

        /** A, anchors per position of a level: one size × the ratios. */
        public int perCell() {
            return anchorRatios.length;
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
        return new FpnConfig(backbone, numClasses,
                new FasterRcnnConfig.Input(800, 1333, new int[] {800}),
                new Pyramid(256, new float[] {32, 64, 128, 256, 512}, new float[] {0.5f, 1f, 2f}, 224),
                new FasterRcnnConfig.Rpn(0.7f, 0.3f, 256, 0.5f, 2000, 2000, 1000, 1000, 0.7f, 0f, 1f, 1f / 9),
                new FasterRcnnConfig.Roi(512, 0.25f, 0.5f, 0f, "roi-align", 7, 1024, 1024, 1f, 1f),
                new FasterRcnnConfig.Test(0.05f, 0.5f, 100));
    }

    /**
     * The paper's rules scaled to small images and CPU backbones, as {@link FasterRcnnConfig#small}:
     * the pyramid narrower (d = 64), anchors that follow the objects (the smallest planned size on
     * P2, doubling per level as the paper's 32..512 do), fewer proposals (500 per level before NMS,
     * 500 kept in training, 300 at test), 128 RoIs per image and fc layers of 512. The canonical
     * RoI side of eq. 1 is 448 scaled by s / 800 (the paper's image size): one level finer than the
     * paper's 224 would give. Measured with the tiny backbone from scratch on {@code shapes} at
     * s = 256 (1500 iterations, fc 256): canonical 72 (224 scaled) voc07 0.40, 143 0.49, 286 0.50;
     * a network trained from scratch classifies small RoIs better from more cells of a finer level.
     *
     * @param shortSide      image shorter side in pixels
     * @param smallestAnchor anchor side on P2 in pixels
     */
    public static FpnConfig small(String backbone, int numClasses, int shortSide, float smallestAnchor) {
        FpnConfig p = paper(backbone, numClasses);
        float[] sizes = new float[RPN_LEVELS];
        for (int l = 0; l < RPN_LEVELS; l++) sizes[l] = smallestAnchor * (1 << l);
        return new FpnConfig(backbone, numClasses,
                new FasterRcnnConfig.Input(shortSide, Math.max(shortSide, (int) Math.ceil(shortSide * 5 / 3.0)),
                        new int[] {shortSide}),
                new Pyramid(64, sizes, p.pyramid().anchorRatios(), 448f * shortSide / 800),
                new FasterRcnnConfig.Rpn(0.7f, 0.3f, 256, 0.5f, 500, 500, 500, 300, 0.7f, 0f, 1f, 1f / 9),
                new FasterRcnnConfig.Roi(128, 0.25f, 0.5f, 0f, "roi-align", 7, 512, 512, 1f, 1f),
                p.test());
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
    public FpnConfig withRoi(FasterRcnnConfig.Roi r) {
        return new FpnConfig(backbone, numClasses, input, pyramid, rpn, r, test);
    }
}
