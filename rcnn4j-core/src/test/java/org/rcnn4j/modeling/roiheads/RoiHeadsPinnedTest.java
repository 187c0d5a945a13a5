package org.rcnn4j.modeling.roiheads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.modeling.poolers.RoIAlign;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.modeling.sampling.BalancedSampler;
import org.rcnn4j.modeling.sampling.Matcher;
import org.rcnn4j.modeling.sampling.RoiTargets;
import org.rcnn4j.modeling.sampling.SampledRois;
import org.rcnn4j.preprocess.BatchImage;

/**
 * Pinned numbers for the Fast R-CNN head (Fast R-CNN §2.3 and the test-time §4 path), in the spirit
 * of Detectron2's {@code test_roi_heads.py}: RoI sampling, targets, the multi-task loss and the
 * detections of a head with fixed weights, each expected value worked out by hand from the paper's
 * formulas.
 *
 * <p><b>The fixed head.</b> K = 2 classes; RoIAlign 1×1 ({@code aligned}, adaptive sampling) on a
 * one-channel stride-8 map of 4×8 cells (a 64×32 input), so each RoI is one number v; fc6 and fc7
 * have one unit each with weight 1 and bias 0, so they pass v ≥ 0 through; the class layer has
 * weights {@code w} (given per test) and bias 0, so the logits are {@code w·v}; the box layer has
 * zero weights and biases (0, 0, 0, 0 | 3, 0, 0, 0 | 3, 1, 0, 0): class 1 always predicts
 * (3, 0, 0, 0) and class 2 (3, 1, 0, 0), in the Fast R-CNN normalisation (stds 0.1, 0.1, 0.2, 0.2),
 * i.e. class 1 moves a RoI right by 0.3·w, class 2 right by 0.3·w and down by 0.1·h.
 *
 * <p><b>The maps.</b> For the loss, a two-valued map: cells x = 0..3 hold 0, x = 4..7 hold 1. An
 * aligned RoIAlign sample at map column c = x/8 − 0.5 reads cells ⌊c⌋ and ⌊c⌋ + 1, so a RoI within
 * x ∈ [0, 28] reads only zeros (v = 0) and one within x ∈ [36, 64] only ones (v = 1). For the
 * detections, a ramp whose cell x holds x: bilinear interpolation of a linear map is exact and the
 * samples are symmetric about the RoI's centre, so a RoI inside x ∈ [4, 60] pools
 * v = cx/8 − 0.5.
 *
 * <p>Sampling: foreground IoU ≥ 0.5, background [0, 0.5) (Faster R-CNN's RoI rule), 16 RoIs per
 * image at most a quarter foreground, ground truth added; smooth L1 β = 1, λ = 1. Every case below
 * has at most 4 foreground and 12 background candidates, so the whole candidate set is the sample
 * and no random draw matters.
 */
class RoiHeadsPinnedTest {

    private static final int K = 2;
    private static final float STRIDE = 8f;
    private static final float LN4 = (float) Math.log(4);
    private static final float[] BBOX_BIAS = {0, 0, 0, 0, 3, 0, 0, 0, 3, 1, 0, 0};

    /** Ground truth of the loss cases: gt0 class 1 on the ones, gt1 class 2 on the zeros. */
    private static final float[] GT = {40, 8, 56, 24, 4, 4, 24, 28};
    private static final int[] GT_CLASSES = {1, 2};

    /**
     * Proposals of the loss cases, with their IoUs with (gt0, gt1):
     * <pre>
     *   p0 [40, 8, 56, 26]  gt0: 256 / 288 = 0.889   foreground, class 1   (v = 1)
     *   p1 [4, 4, 24, 20]   gt1: 320 / 480 = 0.667   foreground, class 2   (v = 0)
     *   p2 [36, 4, 60, 28]  gt0: 256 / 576 = 0.444   background            (v = 1)
     *   p3 [0, 0, 12, 12]   gt1: 64 / 560 = 0.114    background            (v = 0)
     * </pre>
     */
    private static final float[] PROPOSALS = {40, 8, 56, 26, 4, 4, 24, 20, 36, 4, 60, 28, 0, 0, 12, 12};

    /** Class weights of the loss cases: logits (0, 0, 0) at v = 0, (0, ln 4, −ln 4) at v = 1. */
    private static final float[] LOSS_CLASS_WEIGHTS = {0, LN4, -LN4};

    // ---------------------------------------------------------------------------------------------
    // Fast R-CNN §2.3: mini-batch sampling and targets

    /**
     * Candidates are p0..p3 then gt0, gt1 (indices 0..5). Foreground {0, 1, 4, 5} (4 ≤ 16·0.25),
     * background {2, 3}; the sample lists foreground first, each group ascending:
     * p0, p1, gt0, gt1, p2, p3 with labels 1, 2, 1, 2, 0, 0.
     *
     * <p>Targets, (Δ/0.1, Δ/0.1, ln/0.2, ln/0.2): p0, centre (48, 17), 16×18, to gt0, centre
     * (48, 16), 16×16: (0, −1/18, 0, ln(16/18)) → (0, −0.5555556, 0, −0.5889152). p1, centre
     * (14, 12), 20×16, to gt1, centre (14, 16), 20×24: (0, 4/16, 0, ln 1.5) → (0, 2.5, 0, 2.0273255).
     * The gt boxes' own targets are 0.
     */
    @Test
    void roiSamplingLabelsAndNormalisedTargets() {
        for (long seed : new long[] {1, 2, 3}) {
            SampledRois s = roiTargets().sampleRois(PROPOSALS, GT, GT_CLASSES, new SplittableRandom(seed));
            assertEquals(6, s.size());
            assertEquals(4, s.foregroundCount());
            assertArrayEquals(new float[] {
                40, 8, 56, 26, // p0
                4, 4, 24, 20, //  p1
                40, 8, 56, 24, // gt0
                4, 4, 24, 28, //  gt1
                36, 4, 60, 28, // p2
                0, 0, 12, 12, //  p3
            }, s.rois(), 0f);
            assertArrayEquals(new int[] {1, 2, 1, 2, 0, 0}, s.labels(), "labels, seed " + seed);
            assertArrayEquals(new int[] {0, 1, 0, 1, -1, -1}, s.matchedGt());
            assertArrayEquals(new float[] {
                0, -0.5555556f, 0, (float) (Math.log(16.0 / 18) / 0.2),
                0, 2.5f, 0, (float) (Math.log(1.5) / 0.2),
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0,
            }, s.regressionTargets(), 1e-5f);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fast R-CNN eq. 1: L_cls + λ·[u ≥ 1]·L_loc

    /**
     * L_cls, softmax cross-entropy averaged over the 6 RoIs. At v = 0 the logits are uniform,
     * −log p_u = ln 3 = 1.0986123 for any u; at v = 1 they are (0, ln 4, −ln 4), e = (1, 4, 1/4),
     * sum 5.25: −log p_1 = ln(5.25/4) = 0.2719337, −log p_0 = ln 5.25 = 1.6582281.
     *
     * <pre>
     *   p0 (u = 1, v = 1) 0.2719337   p1 (u = 2, v = 0) 1.0986123   gt0 (1, v = 1) 0.2719337
     *   gt1 (2, v = 0)    1.0986123   p2 (u = 0, v = 1) 1.6582281   p3 (0, v = 0)  1.0986123
     *   mean = 5.4979324 / 6 = 0.9163221
     * </pre>
     *
     * L_loc, smooth L1 with β = 1 (0.5·d² below 1, |d| − 0.5 above) of the true class's deltas,
     * summed over the foreground and divided by all 6 sampled RoIs:
     *
     * <pre>
     *   p0,  class 1: (3, 0, 0, 0) − (0, −0.5555556, 0, −0.5889152) = (3, 0.5555556, 0, 0.5889152)
     *                 2.5 + 0.1543210 + 0 + 0.1734105                             = 2.8277315
     *   p1,  class 2: (3, 1, 0, 0) − (0, 2.5, 0, 2.0273255) = (3, −1.5, 0, −2.0273255)
     *                 2.5 + 1.0 + 0 + 1.5273255                                   = 5.0273255
     *   gt0, class 1: (3, 0, 0, 0)                     2.5                        = 2.5
     *   gt1, class 2: (3, 1, 0, 0)                     2.5 + 0.5                  = 3.0
     *   13.3550571 / 6                                                            = 2.2258428
     * </pre>
     */
    @Test
    void classificationAndBoxLossOfTheSampledRois() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoiHeads heads = roiHeads(m, LOSS_CLASS_WEIGHTS);
            LossTerms loss = heads.computeLoss(new ParameterStore(m, false), List.of(stepMap(m)),
                    List.of(new Proposals(PROPOSALS, new float[] {4, 3, 2, 1})), List.of(image(GT, GT_CLASSES)),
                    new SplittableRandom(5));
            assertEquals(0.9163221f, loss.get(LossTerms.ROI_CLS).getFloat(), 1e-5f, "L_cls");
            assertEquals(2.2258428f, loss.get(LossTerms.ROI_BOX).getFloat(), 1e-5f, "λ·L_loc");
        }
    }

    /**
     * Without objects every proposal is background and all four are sampled:
     * L_cls = (ln 5.25 + ln 3 + ln 5.25 + ln 3) / 4 = (1.6582281 + 1.0986123) / 2 = 1.3784202 (p0 and
     * p2 on the ones, p1 and p3 on the zeros); no foreground, so the box loss is exactly 0.
     */
    @Test
    void imageWithoutObjectsHasZeroBoxLossAndBackgroundClassLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            SampledRois s = roiTargets().sampleRois(PROPOSALS, new float[0], new int[0], new SplittableRandom(1));
            assertArrayEquals(PROPOSALS, s.rois(), 0f);
            assertArrayEquals(new int[4], s.labels());
            assertEquals(0, s.foregroundCount());

            RoiHeads heads = roiHeads(m, LOSS_CLASS_WEIGHTS);
            LossTerms loss = heads.computeLoss(new ParameterStore(m, false), List.of(stepMap(m)),
                    List.of(new Proposals(PROPOSALS, new float[] {4, 3, 2, 1})),
                    List.of(image(new float[0], new int[0])), new SplittableRandom(5));
            assertEquals(1.3784202f, loss.get(LossTerms.ROI_CLS).getFloat(), 1e-5f, "L_cls");
            assertEquals(0f, loss.get(LossTerms.ROI_BOX).getFloat(), 0f, "no foreground, no box loss");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Test time: softmax scores, class-specific boxes, threshold, per-class NMS, back to the original

    /**
     * Three RoIs on the ramp map, class weights (0, 1, 0), so logits (0, v, 0) and
     * p_1 = eᵛ / (2 + eᵛ), p_0 = p_2 = 1 / (2 + eᵛ):
     *
     * <pre>
     *   rA [8, 8, 24, 24]   cx 16: v = 1.5    p_1 = 4.4816891 / 6.4816891   = 0.6914385   p_2 = 0.1542808
     *   rB [10, 8, 26, 24]  cx 18: v = 1.75   p_1 = 5.7546027 / 7.7546027   = 0.7420887   p_2 = 0.1289557
     *   rC [44, 8, 60, 24]  cx 52: v = 6      p_1 = 403.4287935 / 405.42879 = 0.9950670   p_2 = 0.0024665
     * </pre>
     *
     * Boxes (16×16 RoIs; class 1 moves right by 0.3·16 = 4.8, class 2 also down by 0.1·16 = 1.6),
     * clipped to 64×32:
     *
     * <pre>
     *   rA: class 1 [12.8, 8, 28.8, 24]         class 2 [12.8, 9.6, 28.8, 25.6]
     *   rB: class 1 [14.8, 8, 30.8, 24]         class 2 [14.8, 9.6, 30.8, 25.6]
     *   rC: class 1 [48.8, 8, 64.8 → 64, 24]    class 2 below the 0.05 threshold: dropped
     * </pre>
     *
     * NMS at 0.5 per class: rB's class-1 box (0.742) suppresses rA's (IoU 14·16 / (512 − 224) = 0.778);
     * rA's class-2 box (0.154) suppresses rB's (also 0.778). rA's class-2 box survives although its
     * IoU with rB's class-1 box is 14·14.4 / (512 − 201.6) = 0.650 &gt; 0.5: a class-agnostic NMS
     * would have removed it. Finally, boxes are divided by the scale 2 and clipped to the 32×16
     * original.
     */
    @Test
    void detectionsAreScoredThresholdedSuppressedPerClassAndMappedBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoiHeads heads = roiHeads(m, new float[] {0, 1, 0});
            float[] rois = {8, 8, 24, 24, 10, 8, 26, 24, 44, 8, 60, 24};
            NDArray ramp = rampMap(m);

            // The pooled values are the RoIs' centres in map columns.
            NDArray pooled = heads.pooler().pool(List.of(ramp), 0, rois);
            assertArrayEquals(new float[] {1.5f, 1.75f, 6f}, pooled.toFloatArray(), 1e-5f);
            ParameterStore ps = new ParameterStore(m, false);
            NDList out = heads.predictor().forward(ps, heads.boxHead().forward(ps, new NDList(pooled), false), false);
            assertArrayEquals(new float[] {0, 1.5f, 0, 0, 1.75f, 0, 0, 6, 0}, out.get(0).toFloatArray(), 1e-5f);
            float[] deltas = new float[36];
            for (int r = 0; r < 3; r++) System.arraycopy(BBOX_BIAS, 0, deltas, 12 * r, 12);
            assertArrayEquals(deltas, out.get(1).toFloatArray(), 1e-6f);

            List<ImageDetections> d = heads.detect(ps, List.of(ramp), List.of(new Proposals(rois, new float[] {3, 2, 1})),
                    List.of(image(new float[0], new int[0])), StageTimes.none());
            assertEquals(1, d.size());
            ImageDetections det = d.get(0);
            assertArrayEquals(new int[] {1, 1, 2}, det.classes());
            assertArrayEquals(new float[] {0.9950670f, 0.7420887f, 0.1542808f}, det.scores(), 1e-5f);
            assertArrayEquals(new float[] {
                24.4f, 4, 32, 12, //      rC class 1: [48.8, 8, 64, 24] / 2
                7.4f, 4, 15.4f, 12, //    rB class 1: [14.8, 8, 30.8, 24] / 2
                6.4f, 4.8f, 14.4f, 12.8f, // rA class 2: [12.8, 9.6, 28.8, 25.6] / 2
            }, det.boxes(), 1e-5f);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The fixed head

    /** Fast R-CNN RoI sampling as {@code DetectorParts.roiHeads} builds it, 16 RoIs per image. */
    private static RoiTargets roiTargets() {
        return new RoiTargets(new Matcher(0.5f, 0f, 0.5f, false), new BalancedSampler(16, 0.25),
                BoxCoder.fastRcnn(), true);
    }

    /** RoIAlign 1×1 at stride 8; score threshold 0.05, NMS 0.5, 100 per image; λ = 1, β = 1. */
    private static RoiHeads roiHeads(NDManager m, float[] classWeights) {
        TwoMlpHead head = new TwoMlpHead(1, 1);
        head.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 1));
        set(head.fc6(), "weight", 1);
        set(head.fc6(), "bias", 0);
        set(head.fc7(), "weight", 1);
        set(head.fc7(), "bias", 0);
        FastRcnnPredictor predictor = new FastRcnnPredictor(K);
        predictor.initialize(m, DataType.FLOAT32, new Shape(1, 1));
        set(predictor.clsScore(), "weight", classWeights);
        set(predictor.clsScore(), "bias", new float[K + 1]);
        set(predictor.bboxPred(), "weight", new float[4 * (K + 1)]);
        set(predictor.bboxPred(), "bias", BBOX_BIAS);
        return new RoiHeads(RegionPooler.singleMap(new RoIAlign(1, 1, 0, true), 1f / STRIDE), head, predictor, 1, roiTargets(),
                new DetectionPostProcessor(BoxCoder.fastRcnn(), 0.05f, 0.5f, 100), 1f, 1f);
    }

    /** 1×1×4×8: columns 0..3 hold 0, columns 4..7 hold 1. */
    private static NDArray stepMap(NDManager m) {
        float[] v = new float[32];
        for (int i = 0; i < 32; i++) v[i] = i % 8 < 4 ? 0 : 1;
        return m.create(v, new Shape(1, 1, 4, 8));
    }

    /** 1×1×4×8: column x holds x. */
    private static NDArray rampMap(NDManager m) {
        float[] v = new float[32];
        for (int i = 0; i < 32; i++) v[i] = i % 8;
        return m.create(v, new Shape(1, 1, 4, 8));
    }

    /** A 32×16 original resized by 2 to the 64×32 input, with the given boxes (input pixels). */
    private static BatchImage image(float[] boxes, int[] classes) {
        int r = classes.length;
        return new BatchImage(new ImageRecord(1, "pinned", "pinned.png", 32, 16, List.of()), null, 0, 0, 32, 16, 64, 32,
                32, 2.0, false, boxes, classes, new boolean[r], new boolean[r]);
    }

    private static void set(Block layer, String name, float... values) {
        Parameter p = layer.getParameters().get(name);
        assertEquals(values.length, p.getArray().size(), name + " size");
        p.getArray().set(FloatBuffer.wrap(Arrays.copyOf(values, values.length)));
    }
}
