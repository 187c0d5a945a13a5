package org.rcnn4j.detector;

import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.ImagePyramid;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.modeling.backbone.Backbones;

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
 * @param frozenStages backbone stages, from the first, left untrained (1, §4.5)
 * @param roi          RoI sampling, pooling and the head's size (§2)
 * @param test         post-processing
 */
public record FastRcnnConfig(String backbone, int numClasses, InputConfig input, ImagePyramid pyramid, int maxProposals,
        int frozenStages, RoiConfig roi, TestConfig test) implements RoiHeadConfig {

    /** The scales of the multi-scale setting (§5.2, after SPP-net): s ∈ {480, 576, 688, 864, 1200}. */
    public static final int[] PYRAMID_SCALES = {480, 576, 688, 864, 1200};

    /**
     * The paper's single-scale Fast R-CNN (§2.3, §4.1, §5.2): s = 600, longer side at most 1000; N = 2
     * images × 64 RoIs, 25 % foreground at IoU ≥ 0.5, background IoU in [0.1, 0.5); RoI max pooling 7×7;
     * fc6 and fc7 of 4096 (VGG16); smooth L1 with λ = 1; 2000 proposals; conv1 frozen; test NMS 0.3
     * (py-faster-rcnn).
     */
    public static FastRcnnConfig paper(String backbone, int numClasses) {
        return new FastRcnnConfig(backbone, numClasses, InputConfig.single(600), ImagePyramid.single(600), 2000, 1,
                RoiConfig.fastRcnn(), TestConfig.withNms(0.3f));
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
        return new FastRcnnConfig(backbone, numClasses, InputConfig.single(shortSide), ImagePyramid.single(shortSide),
                p.maxProposals(), p.frozenStages(), p.roi().withFc(512, 512), TestConfig.withNms(0.5f));
    }

    /** The size {@link #planned} brings the small objects to: RoIs of a 40-pixel object span 2.5 stride-16 cells. */
    public static final double SMALL_OBJECT_TARGET = 40;
    /** The base learning rate {@code train} uses for Fast R-CNN (measured above the shipped tiny's 0.04). */
    public static final float BASE_LR = 0.02f;
    /** The fewest iterations {@code train} gives Fast R-CNN by default. */
    public static final long MIN_ITERATIONS = 4500;

    /**
     * What {@code train} plans for Fast R-CNN on {@code train}: {@link #small} at the scale that brings
     * the small objects to {@value #SMALL_OBJECT_TARGET} pixels ({@link InputPlan}; 32 for the
     * others), with RoIAlign, which does not round RoIs to whole cells, and background RoIs sampled
     * from IoU [0, 0.5) as py-faster-rcnn's Faster R-CNN and {@link FasterRcnnConfig#small} do,
     * trained with scale jitter about the planned scale ({@link InputConfig#withScaleJitter}: 448, 512
     * or 576 pixels for s = 512) and tested at the largest of them, as Detectron2 tests at the largest
     * of its training sizes. On small data RoI max pooling at the 32-pixel scale lost most of what
     * separates Fast R-CNN from the RPN detectors; the paper's [0.1, 0.5) never shows the classifier
     * the proposals that touch no object, the plain background it then fires on; a small object's RoI
     * spans more cells of the stride-16 map at the largest scale (FastRcnn.KIND has the figures).
     */
    public static FastRcnnConfig planned(String backbone, Dataset train) {
        FastRcnnConfig c = small(backbone, train.numClasses(), InputPlan.of(train, SMALL_OBJECT_TARGET).shortSide());
        int[] scales = c.input().withScaleJitter().trainScales();
        InputConfig atLargest = InputConfig.single(scales[scales.length - 1]);
        return new FastRcnnConfig(backbone, c.numClasses(), atLargest.withTrainScales(atLargest.maxSize(), scales),
                ImagePyramid.single(atLargest.shortSide()),
                c.maxProposals(), c.frozenStages(), c.roi().withPooler(PoolerType.ROI_ALIGN).withSampling(c.roi().perImage(), 0f),
                c.test());
    }

    /**
     * This config with an image pyramid: training draws one of {@code scales} per sampled image, and
     * testing runs all of them.
     *
     * @param maxSize cap on the longer side at every scale
     * @param scales  shorter sides, ascending
     */
    public FastRcnnConfig withPyramid(int maxSize, int... scales) {
        return new FastRcnnConfig(backbone, numClasses, input.withTrainScales(maxSize, scales),
                new ImagePyramid(scales, pyramid.canonicalSide()), maxProposals, frozenStages, roi, test);
    }

    /** Whether testing runs an image pyramid (more than one test scale). */
    public boolean multiScale() {
        return pyramid.multiScale();
    }

    @Override
    public ImagePyramid testPyramid() {
        return pyramid;
    }

    @Override
    public FastRcnnConfig withNumClasses(int k) {
        return new FastRcnnConfig(backbone, k, input, pyramid, maxProposals, frozenStages, roi, test);
    }

    @Override
    public FastRcnnConfig withInput(InputConfig in) {
        return new FastRcnnConfig(backbone, numClasses, in, pyramid, maxProposals, frozenStages, roi, test);
    }

    @Override
    public FastRcnnConfig withRoi(RoiConfig r) {
        return new FastRcnnConfig(backbone, numClasses, input, pyramid, maxProposals, frozenStages, r, test);
    }

    @Override
    public FastRcnnConfig withTest(TestConfig t) {
        return new FastRcnnConfig(backbone, numClasses, input, pyramid, maxProposals, frozenStages, roi, t);
    }

    /** The backbone's output channels. */
    @Override
    public int pooledChannels() {
        return DetectorParts.outputChannels(backbone);
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.present(pyramid, "pyramid").validate("pyramid");
        ConfigException.require(maxProposals >= 1, "maxProposals", "must be positive, got " + maxProposals);
        ConfigException.require(frozenStages >= 0, "frozenStages", "must be at least 0, got " + frozenStages);
        RoiHeadConfig.validateRegionStage(this);
    }
}
