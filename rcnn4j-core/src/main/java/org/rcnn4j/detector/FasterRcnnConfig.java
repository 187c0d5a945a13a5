package org.rcnn4j.detector;

/**
 * Everything that defines a Faster R-CNN model (not how it is trained: see {@link TrainingConfig}),
 * with the paper's values in {@link #paper}. Serialised as {@code config.json} in a model directory.
 *
 * @param backbone     backbone name ({@code org.rcnn4j.modeling.backbone.Backbones})
 * @param numClasses   K, object classes (background excluded)
 * @param input        image scaling
 * @param anchors      anchor boxes of the RPN
 * @param rpn          RPN training and proposal rules
 * @param roi          RoI sampling, pooling and the head's size
 * @param test         post-processing
 */
public record FasterRcnnConfig(
        String backbone, int numClasses, Input input, Anchors anchors, Rpn rpn, Roi roi, Test test)
        implements RoiHeadConfig {

    /**
     * @param shortSide training/test shorter side s in pixels (Fast R-CNN §5.2: 600); training picks one of {@code trainScales}
     * @param maxSize   cap on the longer side (1000)
     * @param trainScales shorter sides drawn per image in training (multi-scale training when more than one)
     */
    public record Input(int shortSide, int maxSize, int[] trainScales) {}

    /**
     * @param sizes  anchor sides in input pixels (Faster R-CNN §3.1.1: 128, 256, 512, i.e. areas 128²..512²)
     * @param ratios aspect ratios h/w (0.5, 1, 2)
     */
    public record Anchors(float[] sizes, float[] ratios) {
        public int perCell() {
            return sizes.length * ratios.length;
        }
    }

    /**
     * Faster R-CNN §3.1.2–3.3 and py-faster-rcnn's defaults.
     *
     * @param positiveIoU  IoU ≥ this is positive (0.7)
     * @param negativeIoU  IoU below this is negative (0.3)
     * @param batchSize    sampled anchors per image (256)
     * @param positiveFraction up to this fraction positive (0.5)
     * @param preNmsTrain  top-N before NMS in training (12000)
     * @param postNmsTrain proposals kept in training (2000)
     * @param preNmsTest   top-N before NMS at test (6000)
     * @param postNmsTest  proposals kept at test (300)
     * @param nms          proposal NMS IoU (0.7)
     * @param minSize      proposals narrower than this (original-image pixels) are dropped (16)
     * @param boxLossWeight λ (1, with the mini-batch normalisation)
     * @param smoothL1Beta 1/9 (py-faster-rcnn's sigma = 3)
     */
    public record Rpn(float positiveIoU, float negativeIoU, int batchSize, float positiveFraction, int preNmsTrain,
            int postNmsTrain, int preNmsTest, int postNmsTest, float nms, float minSize, float boxLossWeight,
            float smoothL1Beta) {
        /**
         * The same rules keeping {@code n} proposals per image at test time ({@code postNmsTest}),
         * with at least as many boxes before NMS; for measuring recall at more proposals than the
         * model was trained to use (FPN Table 1's AR@1000).
         */
        public Rpn withTestTopN(int n) {
            return new Rpn(positiveIoU, negativeIoU, batchSize, positiveFraction, preNmsTrain, postNmsTrain,
                    Math.max(preNmsTest, n), n, nms, minSize, boxLossWeight, smoothL1Beta);
        }
    }

    /**
     * Fast R-CNN §2.3 and §2.4 (with Faster R-CNN's py-faster-rcnn defaults).
     *
     * @param perImage        RoIs sampled per image (128 with 1 image per batch; 64 with 2)
     * @param fgFraction      foreground fraction (0.25)
     * @param fgIoU           foreground IoU ≥ (0.5)
     * @param bgLow           background IoU in [bgLow, fgIoU) (0.1 in Fast R-CNN; 0 in Faster R-CNN)
     * @param pooler          {@code roi-pool} (RoI max pooling, the paper's) or {@code roi-align}
     * @param poolSize        H = W of the pooled grid (7)
     * @param fc6             units of fc6 (4096 for VGG16)
     * @param fc7             units of fc7
     * @param boxLossWeight   λ (1)
     * @param smoothL1Beta    1 (the paper's smooth L1)
     * @param svdFc6          rank t of fc6's truncated SVD (Fast R-CNN §3.1), 0 when fc6 is not factorised;
     *                        a {@code model.json} without it reads 0
     * @param svdFc7          the same for fc7
     * @param head            {@value #FC_HEAD} (fc6 and fc7, {@code BoxHead}; the papers' head) or
     *                        {@value #C5_HEAD} (the backbone's conv5_x stage on the pooled C4 features,
     *                        He et al. 2016, Appendix A; {@code C5BoxHead}; fc6, fc7 and the SVD ranks
     *                        are then unused); a {@code model.json} without it reads {@value #FC_HEAD}
     */
    public record Roi(int perImage, float fgFraction, float fgIoU, float bgLow, String pooler, int poolSize, int fc6,
            int fc7, float boxLossWeight, float smoothL1Beta, int svdFc6, int svdFc7, String head) {
        /** {@link #head} of fc6 and fc7. */
        public static final String FC_HEAD = "fc";
        /** {@link #head} of the backbone's C5 stage. */
        public static final String C5_HEAD = "c5";

        public Roi {
            if (head == null) head = FC_HEAD;
        }

        /** An fc head whose fc6 and fc7 are factorised at these ranks (0: plain). */
        public Roi(int perImage, float fgFraction, float fgIoU, float bgLow, String pooler, int poolSize, int fc6,
                int fc7, float boxLossWeight, float smoothL1Beta, int svdFc6, int svdFc7) {
            this(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta, svdFc6,
                    svdFc7, FC_HEAD);
        }

        /** A head with plain (unfactorised) fc6 and fc7. */
        public Roi(int perImage, float fgFraction, float fgIoU, float bgLow, String pooler, int poolSize, int fc6,
                int fc7, float boxLossWeight, float smoothL1Beta) {
            this(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta, 0, 0);
        }

        /** The same head with fc6 and fc7 factorised at these ranks (0: not factorised). */
        public Roi withSvd(int rankFc6, int rankFc7) {
            return new Roi(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                    rankFc6, rankFc7, head);
        }

        /** The same sampling and pooling with another {@link #head}. */
        public Roi withHead(String kind) {
            return new Roi(perImage, fgFraction, fgIoU, bgLow, pooler, poolSize, fc6, fc7, boxLossWeight, smoothL1Beta,
                    svdFc6, svdFc7, kind);
        }
    }

    /**
     * @param scoreThreshold    minimum class probability of a detection (0.05)
     * @param nms               per-class NMS IoU (0.3 in py-faster-rcnn's test; 0.5 in torchvision)
     * @param detectionsPerImage at most this many (100)
     */
    public record Test(float scoreThreshold, float nms, int detectionsPerImage) {}

    /** The paper's Faster R-CNN (VGG16 / ZF on PASCAL VOC, py-faster-rcnn's end-to-end defaults). */
    public static FasterRcnnConfig paper(String backbone, int numClasses) {
        return new FasterRcnnConfig(backbone, numClasses,
                new Input(600, 1000, new int[] {600}),
                new Anchors(new float[] {128, 256, 512}, new float[] {0.5f, 1f, 2f}),
                new Rpn(0.7f, 0.3f, 256, 0.5f, 12000, 2000, 6000, 300, 0.7f, 16f, 1f, 1f / 9),
                new Roi(128, 0.25f, 0.5f, 0f, "roi-pool", 7, 4096, 4096, 1f, 1f, 0, 0),
                new Test(0.05f, 0.3f, 100));
    }

    /**
     * The paper's rules scaled to small images and CPU backbones: anchors and sizes follow the
     * objects' sizes in pixels (the paper's anchors cover 128²..512² because VOC objects at s = 600
     * are that large), fc layers of 512, fewer proposals (an image of 300 pixels has far fewer
     * distinct objects than 2000 proposals in training; the paper's 300 at test), and RoIAlign: a small object covers one or two cells of a
     * stride-16 map, and RoI max pooling's rounding to whole cells then loses most of its position.
     *
     * @param shortSide  image shorter side in pixels
     * @param anchorSizes anchor sides in pixels
     */
    public static FasterRcnnConfig small(String backbone, int numClasses, int shortSide, float[] anchorSizes) {
        FasterRcnnConfig p = paper(backbone, numClasses);
        return new FasterRcnnConfig(backbone, numClasses,
                new Input(shortSide, Math.max(shortSide, (int) Math.ceil(shortSide * 5 / 3.0)), new int[] {shortSide}),
                new Anchors(anchorSizes, p.anchors().ratios()),
                new Rpn(0.7f, 0.3f, 256, 0.5f, 2000, 500, 2000, 300, 0.7f, 0f, 1f, 1f / 9),
                new Roi(128, 0.25f, 0.5f, 0f, "roi-align", 7, 512, 512, 1f, 1f, 0, 0),
                // NMS 0.5 (torchvision's): small scenes put same-class objects close together.
                new Test(0.05f, 0.5f, 100));
    }

    @Override
    public int testProposals() {
        return rpn.postNmsTest();
    }

    @Override
    public FasterRcnnConfig withTestProposals(int n) {
        return new FasterRcnnConfig(backbone, numClasses, input, anchors, rpn.withTestTopN(n), roi, test);
    }

    @Override
    public FasterRcnnConfig withNumClasses(int k) {
        return new FasterRcnnConfig(backbone, k, input, anchors, rpn, roi, test);
    }

    @Override
    public FasterRcnnConfig withRoi(Roi r) {
        return new FasterRcnnConfig(backbone, numClasses, input, anchors, rpn, r, test);
    }
}
