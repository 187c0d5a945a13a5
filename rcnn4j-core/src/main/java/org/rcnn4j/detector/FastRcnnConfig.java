package org.rcnn4j.detector;

import java.util.Arrays;
import org.rcnn4j.modeling.poolers.PyramidScaleMapper;

/**
 * Everything that defines a Fast R-CNN model (Girshick 2015), with the paper's values in
 * {@link #paper} and {@link #paperPyramid}. Serialised as {@code config} in {@code model.json}. The
 * proposals are not part of it: they are a run-time input ({@link org.rcnn4j.proposals.ProposalSource}).
 *
 * @param backbone     backbone name ({@code org.rcnn4j.modeling.backbone.Backbones})
 * @param numClasses   K, object classes (background excluded)
 * @param input        single-scale size and the training scales: one scale ("brute force", §5.2), or
 *                     several, one drawn at random per sampled image (the image pyramid, §5.2)
 * @param pyramid      the test scales and the scale assignment rule
 * @param maxProposals the best this many proposals per image are used, in training and at test (2000:
 *                     selective search's fast mode gives about that many, §4.1 and §5.5)
 * @param frozenStages backbone stages, from the first, left untrained (1; see {@link FastRcnn})
 * @param roi          RoI sampling, pooling and the head's size (§2)
 * @param test         post-processing
 */
public record FastRcnnConfig(String backbone, int numClasses, FasterRcnnConfig.Input input, Pyramid pyramid,
        int maxProposals, int frozenStages, FasterRcnnConfig.Roi roi, FasterRcnnConfig.Test test)
        implements RoiHeadConfig {

    /** The scales of the multi-scale setting (§5.2, after SPP-net): s ∈ {480, 576, 688, 864, 1200}. */
    public static final int[] PYRAMID_SCALES = {480, 576, 688, 864, 1200};

    /**
     * @param testScales    shorter sides of the test-time image pyramid, ascending (one value: single scale)
     * @param canonicalSide each RoI is pooled from the scale where its area is nearest this side squared
     *                      (224, {@link PyramidScaleMapper})
     */
    public record Pyramid(int[] testScales, int canonicalSide) {
        public Pyramid {
            if (testScales == null || testScales.length == 0) throw new IllegalArgumentException("pyramid.testScales needs at least one scale");
            testScales = testScales.clone();
        }

        @Override
        public int[] testScales() {
            return testScales.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pyramid p && Arrays.equals(testScales, p.testScales) && canonicalSide == p.canonicalSide;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(testScales) + canonicalSide;
        }

        @Override
        public String toString() {
            return "Pyramid[testScales=" + Arrays.toString(testScales) + ", canonicalSide=" + canonicalSide + "]";
        }
    }

    /**
     * The paper's single-scale Fast R-CNN (§2.3, §4.1, §5.2): s = 600, longer side at most 1000; N = 2
     * images × 64 RoIs, 25 % foreground at IoU ≥ 0.5, background IoU in [0.1, 0.5); RoI max pooling 7×7;
     * fc6 and fc7 of 4096 (VGG16); smooth L1 with λ = 1; 2000 proposals; test NMS 0.3 (py-faster-rcnn).
     */
    public static FastRcnnConfig paper(String backbone, int numClasses) {
        return new FastRcnnConfig(backbone, numClasses, new FasterRcnnConfig.Input(600, 1000, new int[] {600}),
                new Pyramid(new int[] {600}, PyramidScaleMapper.CANONICAL_SIDE), 2000, 1,
                new FasterRcnnConfig.Roi(64, 0.25f, 0.5f, 0.1f, "roi-pool", 7, 4096, 4096, 1f, 1f),
                new FasterRcnnConfig.Test(0.05f, 0.3f, 100));
    }

    /**
     * The paper's multi-scale Fast R-CNN (§5.2): training draws s from {480, 576, 688, 864, 1200} per
     * image with the longer side at most 2000, testing pools each RoI from the one of those five scales
     * where it is nearest 224².
     */
    public static FastRcnnConfig paperPyramid(String backbone, int numClasses) {
        return paper(backbone, numClasses).withPyramid(2000, PYRAMID_SCALES);
    }

    /**
     * The paper's rules at a data-planned single scale for CPU backbones ({@link InputPlan}: small
     * objects brought to about 32 pixels), with fc layers of 512 and the test NMS at 0.5 (small scenes
     * put objects of a class close together), as {@link FasterRcnnConfig#small}. RoI max pooling
     * stays the paper's.
     *
     * @param shortSide image shorter side in pixels
     */
    public static FastRcnnConfig small(String backbone, int numClasses, int shortSide) {
        FastRcnnConfig p = paper(backbone, numClasses);
        FasterRcnnConfig.Roi r = p.roi();
        return new FastRcnnConfig(backbone, numClasses,
                new FasterRcnnConfig.Input(shortSide, Math.max(shortSide, (int) Math.ceil(shortSide * 5 / 3.0)), new int[] {shortSide}),
                new Pyramid(new int[] {shortSide}, PyramidScaleMapper.CANONICAL_SIDE), p.maxProposals(), p.frozenStages(),
                new FasterRcnnConfig.Roi(r.perImage(), r.fgFraction(), r.fgIoU(), r.bgLow(), r.pooler(), r.poolSize(), 512, 512,
                        r.boxLossWeight(), r.smoothL1Beta()),
                new FasterRcnnConfig.Test(0.05f, 0.5f, 100));
    }

    /**
     * This config with an image pyramid: training draws one of {@code scales} per sampled image, and
     * testing runs all of them.
     *
     * @param maxSize cap on the longer side at every scale
     * @param scales  shorter sides, ascending
     */
    public FastRcnnConfig withPyramid(int maxSize, int... scales) {
        int single = input.shortSide();
        return new FastRcnnConfig(backbone, numClasses, new FasterRcnnConfig.Input(single, maxSize, scales.clone()),
                new Pyramid(scales, pyramid.canonicalSide()), maxProposals, frozenStages, roi, test);
    }

    /** Whether testing runs an image pyramid (more than one test scale). */
    public boolean multiScale() {
        return pyramid.testScales.length > 1;
    }

    @Override
    public FastRcnnConfig withNumClasses(int k) {
        return new FastRcnnConfig(backbone, k, input, pyramid, maxProposals, frozenStages, roi, test);
    }

    @Override
    public FastRcnnConfig withRoi(FasterRcnnConfig.Roi r) {
        return new FastRcnnConfig(backbone, numClasses, input, pyramid, maxProposals, frozenStages, r, test);
    }
}
