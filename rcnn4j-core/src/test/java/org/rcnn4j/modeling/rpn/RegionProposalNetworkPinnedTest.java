package org.rcnn4j.modeling.rpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.sampling.AnchorTargets;
import org.rcnn4j.modeling.sampling.RpnTargets;
import org.rcnn4j.preprocess.BatchImage;

/**
 * Pinned numbers for the Region Proposal Network on one tiny level (Faster R-CNN §3.1–3.3), in
 * the spirit of Detectron2's {@code test_rpn.py}: every expected anchor, label, target, loss and
 * proposal below is worked out by hand from the paper's formulas, not read back from the code, so a
 * change in layout, matching, sampling normalisation, loss or proposal filtering shows up as a
 * changed number.
 *
 * <p><b>The fixed network.</b> A 1×1×2×3 feature map f (stride 16, so a 48×32 input, resized by
 * scale 2 from a 24×16 original) with values
 *
 * <pre>
 *   f = | 6 1 2 |      positions p0..p5, row-major: p = y·3 + x
 *       | 3 4 5 |
 * </pre>
 *
 * and an {@link RpnHead} of one channel and A = 2 anchors per position whose parameters are
 * overwritten after initialisation: the 3×3 conv is the identity (centre tap 1, bias 0, so its
 * ReLU output is f itself, f ≥ 0); the objectness layer has weights (1, −1) and biases (0, 5.5), so
 * anchor 0 of position p scores {@code f_p} and anchor 1 scores {@code 5.5 − f_p}; the box layer has
 * zero weights and biases (0, 0, ln 2, ln 1.5 | 0, 0, 0, 0), so every 16-px anchor predicts
 * {@code (0, 0, ln 2, ln 1.5)} (same centre, 2× wider, 1.5× taller) and every 32-px anchor
 * predicts zeros.
 *
 * <p><b>Anchors</b> are {@link AnchorGenerator#cellAnchors} of sizes 16 and 32, ratio 1, i.e.
 * [−8, −8, 8, 8] and [−16, −16, 16, 16], shifted by (16x, 16y); row (y·3 + x)·2 + a.
 *
 * <p><b>Ground truth</b> (input pixels): gt0 = [4, 2, 36, 30] (32×28), gt1 = [26, 8, 42, 25] (16×17).
 */
class RegionProposalNetworkPinnedTest {

    private static final float STRIDE = 16f;
    private static final int WIDTH = 48;
    private static final int HEIGHT = 32;
    private static final float[] FEATURES = {6, 1, 2, 3, 4, 5};
    private static final float LN2 = (float) Math.log(2);
    private static final float LN1_5 = (float) Math.log(1.5);
    private static final float[] GT = {4, 2, 36, 30, 26, 8, 42, 25};
    private static final float SMOOTH_L1_BETA = 1f / 9;

    /**
     * The 12 anchors: cell anchor a of size s = 16 (a = 0) or 32 (a = 1) centred at (16x, 16y) is
     * [16x − s/2, 16y − s/2, 16x + s/2, 16y + s/2].
     */
    private static final float[] ANCHORS = {
        -8, -8, 8, 8, //        0: p0 (0, 0),   16 px
        -16, -16, 16, 16, //    1: p0,          32 px
        8, -8, 24, 8, //        2: p1 (16, 0),  16 px
        0, -16, 32, 16, //      3: p1,          32 px
        24, -8, 40, 8, //       4: p2 (32, 0),  16 px
        16, -16, 48, 16, //     5: p2,          32 px
        -8, 8, 8, 24, //        6: p3 (0, 16),  16 px
        -16, 0, 16, 32, //      7: p3,          32 px
        8, 8, 24, 24, //        8: p4 (16, 16), 16 px
        0, 0, 32, 32, //        9: p4,          32 px
        24, 8, 40, 24, //      10: p5 (32, 16), 16 px
        16, 0, 48, 32, //      11: p5,          32 px
    };

    /** Objectness logits in anchor order: anchor 0 of p scores f_p, anchor 1 scores 5.5 − f_p. */
    private static final float[] LOGITS = {6, -0.5f, 1, 4.5f, 2, 3.5f, 3, 2.5f, 4, 1.5f, 5, 0.5f};

    // ---------------------------------------------------------------------------------------------
    // The network's outputs, laid out in anchor order

    @Test
    void anchorsLogitsAndDeltasAreLaidOutPositionMajorAnchorMinor() {
        try (NDManager m = NDManager.newBaseManager()) {
            RpnOutput out = forward(rpn(head(m)), m, 1, false);
            assertArrayEquals(ANCHORS, out.anchors(), 0f);
            assertEquals(12, out.numAnchors());
            assertArrayEquals(new int[] {12}, out.levelSizes());
            assertArrayEquals(LOGITS, out.scores()[0], 1e-6f);
            float[] deltas = new float[48];
            for (int i = 0; i < 12; i += 2) { // 16-px anchors (0, 0, ln 2, ln 1.5); 32-px anchors zeros
                deltas[4 * i + 2] = LN2;
                deltas[4 * i + 3] = LN1_5;
            }
            assertArrayEquals(deltas, out.boxDeltas()[0], 1e-6f);
            assertEquals(new Shape(1, 12), out.logits().getShape());
            assertEquals(new Shape(1, 12, 4), out.deltas().getShape());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // §3.1.2: labels (with the cross-boundary rule of §3.3) and regression targets

    /**
     * Anchors crossing the 48×32 image are ignored: every anchor of row 0 (y1 &lt; 0) and of column 0
     * (x1 &lt; 0); 8, 9, 10, 11 are inside. Their IoUs with (gt0, gt1):
     *
     * <pre>
     *   8  [8,8,24,24]   gt0: 256 / 896 (inside gt0)                = 0.2857;  gt1: 0            → negative
     *   9  [0,0,32,32]   gt0: 28·28 = 784 / (1024 + 896 − 784)      = 0.6901;  gt1: 102/1194 = 0.085
     *                    below 0.7, but gt0's best anchor           → positive (rule i), gt0
     *   10 [24,8,40,24]  gt0: 12·16 = 192 / (256 + 896 − 192)       = 0.2;
     *                    gt1: 14·16 = 224 / (256 + 272 − 224)       = 0.7368     → positive (rule ii), gt1
     *   11 [16,0,48,32]  gt0: 20·28 = 560 / (1024 + 896 − 560)      = 0.4118;  gt1: 272/1024 = 0.266 → ignored
     * </pre>
     *
     * Targets (R-CNN coder, unnormalised): anchor 9, centre (16, 16), 32×32, to gt0, centre (20, 16),
     * 32×28: (4/32, 0, ln 1, ln(28/32)) = (0.125, 0, 0, −0.1335314). Anchor 10, centre (32, 16),
     * 16×16, to gt1, centre (34, 16.5), 16×17: (2/16, 0.5/16, 0, ln(17/16)) = (0.125, 0.03125, 0,
     * 0.0606246). Two positives and one negative fit the 256-anchor batch whole: no draw matters.
     */
    @Test
    void anchorLabelsAndRegressionTargets() {
        int i = RpnTargets.IGNORED;
        int[] labels = {i, i, i, i, i, i, i, i, RpnTargets.NEGATIVE, RpnTargets.POSITIVE, RpnTargets.POSITIVE, i};
        float[] targets = new float[48];
        targets[4 * 9] = 0.125f;
        targets[4 * 9 + 3] = (float) Math.log(28.0 / 32);
        targets[4 * 10] = 0.125f;
        targets[4 * 10 + 1] = 0.03125f;
        targets[4 * 10 + 3] = (float) Math.log(17.0 / 16);
        for (long seed : new long[] {1, 2, 3}) {
            RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, WIDTH, HEIGHT, GT,
                    new SplittableRandom(seed));
            assertArrayEquals(labels, t.labels(), "labels, seed " + seed);
            assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, -1}, t.matchedGt());
            assertArrayEquals(targets, t.regressionTargets(), 1e-6f);
            assertArrayEquals(new int[] {9, 10}, t.sample().positives());
            assertArrayEquals(new int[] {8}, t.sample().negatives());
            boolean[] sampled = new boolean[12];
            sampled[8] = sampled[9] = sampled[10] = true;
            assertArrayEquals(sampled, t.sampled());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Faster R-CNN eq. 1 on the sampled anchors

    /**
     * L_cls, the sigmoid cross-entropy averaged over the 3 sampled anchors, with
     * softplus(x) = log(1 + eˣ):
     *
     * <pre>
     *   anchor 8  negative, logit f_p4 = 4          softplus(4)    = 4.0181499
     *   anchor 9  positive, logit 5.5 − 4 = 1.5     softplus(−1.5) = 0.2014133
     *   anchor 10 positive, logit f_p5 = 5          softplus(−5)   = 0.0067153
     *   mean                                                        = 1.4087595
     * </pre>
     *
     * L_reg, smooth L1 with β = 1/9 (0.5·d²/β = 4.5·d² below 1/9, |d| − 1/18 above), summed over the
     * positives and divided by the same 3 sampled anchors (λ = 1):
     *
     * <pre>
     *   anchor 9:  pred 0 − t = (−0.125, 0, 0, 0.1335314)
     *              0.125 − 0.0555556 + 0 + 0 + 0.1335314 − 0.0555556              = 0.1474203
     *   anchor 10: pred (0, 0, ln 2, ln 1.5) − t = (−0.125, −0.03125, 0.6931472, 0.3448405)
     *              0.0694444 + 4.5·0.03125² + 0.6375916 + 0.2892849                = 1.0007155
     *   (0.1474203 + 1.0007155) / 3                                                = 0.3827119
     * </pre>
     */
    @Test
    void objectnessAndBoxLossOfTheSampledAnchors() {
        try (NDManager m = NDManager.newBaseManager()) {
            RegionProposalNetwork rpn = rpn(head(m));
            RpnOutput out = forward(rpn, m, 1, true);
            LossTerms loss = rpn.computeLoss(out, List.of(image(GT)), new SplittableRandom(7));
            assertEquals(1.4087595f, loss.get(LossTerms.RPN_CLS).getFloat(), 1e-5f, "L_cls");
            assertEquals(0.3827119f, loss.get(LossTerms.RPN_BOX).getFloat(), 1e-5f, "λ·L_reg");
        }
    }

    /**
     * Without ground truth the four inside anchors (8, 9, 10, 11) are all negative and all sampled;
     * L_cls = mean softplus(logit) = (softplus(4) + softplus(1.5) + softplus(5) + softplus(0.5)) / 4
     * = (4.0181499 + 1.7014133 + 5.0067153 + 0.9740770) / 4 = 2.9250889; no positive, so the box
     * loss is exactly 0.
     */
    @Test
    void imageWithoutObjectsTrainsObjectnessOnNegativesOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            RpnTargets t = AnchorTargets.fasterRcnn().assignTargetsToAnchors(ANCHORS, WIDTH, HEIGHT, new float[0],
                    new SplittableRandom(3));
            int i = RpnTargets.IGNORED;
            int n = RpnTargets.NEGATIVE;
            assertArrayEquals(new int[] {i, i, i, i, i, i, i, i, n, n, n, n}, t.labels());
            assertArrayEquals(new int[0], t.sample().positives());
            assertArrayEquals(new int[] {8, 9, 10, 11}, t.sample().negatives());
            assertArrayEquals(new float[48], t.regressionTargets(), 0f);

            RegionProposalNetwork rpn = rpn(head(m));
            RpnOutput out = forward(rpn, m, 1, true);
            LossTerms loss = rpn.computeLoss(out, List.of(image(new float[0])), new SplittableRandom(7));
            assertEquals(2.9250889f, loss.get(LossTerms.RPN_CLS).getFloat(), 1e-5f, "L_cls over negatives only");
            assertEquals(0f, loss.get(LossTerms.RPN_BOX).getFloat(), 0f, "no positive, no box loss");
        }
    }

    /**
     * Two images, the first with gt0 and gt1, the second without objects, same map: L_cls is averaged
     * over all 3 + 4 = 7 sampled anchors, (4.0181499 + 0.2014133 + 0.0067153 + 11.7003555) / 7 =
     * 2.2752334, and the box loss divided by the same 7: 1.1481358 / 7 = 0.1640194.
     */
    @Test
    void batchLossIsNormalisedByTheSampledAnchorsOfAllImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            RegionProposalNetwork rpn = rpn(head(m));
            RpnOutput out = forward(rpn, m, 2, true);
            LossTerms loss = rpn.computeLoss(out, List.of(image(GT), image(new float[0])),
                    new SplittableRandom(11));
            assertEquals(2.2752334f, loss.get(LossTerms.RPN_CLS).getFloat(), 1e-5f, "L_cls");
            assertEquals(0.1640194f, loss.get(LossTerms.RPN_BOX).getFloat(), 1e-5f, "λ·L_reg");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // §3.3: proposals (decode, clip, drop small, top-N, NMS 0.7)

    /**
     * Decoded (R-CNN coder) and clipped to 48×32, in descending logit order. A 16-px anchor keeps its
     * centre and becomes 32×24; a 32-px anchor stays put:
     *
     * <pre>
     *   a0  6    centre (0, 0)    [−16, −12, 16, 12] → [0, 0, 16, 12]   12 px high &lt; 7·2 = 14: dropped
     *   a10 5    centre (32, 16)  [16, 4, 48, 28]                          kept
     *   a3  4.5  [0, −16, 32, 16] → [0, 0, 32, 16]                         kept
     *   a8  4    centre (16, 16)  [0, 4, 32, 28]                           kept
     *   a5  3.5  [16, −16, 48, 16] → [16, 0, 48, 16]                       kept
     *   a6  3    centre (0, 16)   [−16, 4, 16, 28] → [0, 4, 16, 28]         kept
     *   a7  2.5  [−16, 0, 16, 32] → [0, 0, 16, 32]    IoU with a6 384/512 = 0.75 &gt; 0.7: suppressed
     *   a4  2    centre (32, 0)   → [16, 0, 48, 12]                         dropped (12 px)
     *   a9  1.5  [0, 0, 32, 32]                        IoU with a8 768/1024 = 0.75: suppressed
     *   a2  1    centre (16, 0)   → [0, 0, 32, 12]                          dropped (12 px)
     *   a11 0.5  [16, 0, 48, 32]                       IoU with a10 768/1024 = 0.75: suppressed
     *   a1  −0.5 [−16, −16, 16, 16] → [0, 0, 16, 16]   best IoU with a kept box 0.5 (a3): kept
     * </pre>
     *
     * The minimum size is 7 original pixels × scale 2 = 14 input pixels; without the scale a0
     * would be kept and would suppress a1 (IoU 192/256 = 0.75). Every other pair of kept boxes has
     * IoU at most 0.5 (e.g. a3–a8 384/896, a8–a6 384/768, a10–a8 384/1152).
     */
    @Test
    void testTimeProposalsAreDecodedClippedFilteredAndSuppressed() {
        try (NDManager m = NDManager.newBaseManager()) {
            RegionProposalNetwork rpn = rpn(head(m));
            List<Proposals> p = rpn.filterProposals(forward(rpn, m, 1, false), List.of(image(GT)), false);
            assertEquals(1, p.size());
            assertArrayEquals(new float[] {
                16, 4, 48, 28, // a10
                0, 0, 32, 16, //  a3
                0, 4, 32, 28, //  a8
                16, 0, 48, 16, // a5
                0, 4, 16, 28, //  a6
                0, 0, 16, 16, //  a1
            }, p.get(0).boxes(), 1e-5f);
            assertArrayEquals(new float[] {5, 4.5f, 4, 3.5f, 3, -0.5f}, p.get(0).scores(), 1e-6f);
        }
    }

    /**
     * The training filter keeps the pre-NMS top 4 by objectness first (a0, a10, a3, a8): a0 is then
     * dropped as small, and a5, a6, a1, which survive at test time, never reach NMS.
     */
    @Test
    void trainingProposalsTakeThePreNmsTopNBeforeDecoding() {
        try (NDManager m = NDManager.newBaseManager()) {
            RegionProposalNetwork rpn = rpn(head(m));
            List<Proposals> p = rpn.filterProposals(forward(rpn, m, 1, true), List.of(image(GT)), true);
            assertArrayEquals(new float[] {16, 4, 48, 28, 0, 0, 32, 16, 0, 4, 32, 28}, p.get(0).boxes(), 1e-5f);
            assertArrayEquals(new float[] {5, 4.5f, 4}, p.get(0).scores(), 1e-6f);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The fixed network

    /** The head with the parameters of the class comment. */
    private static RpnHead head(NDManager m) {
        RpnHead head = new RpnHead(1, 2);
        head.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2, 3));
        set(child(head, "conv"), "weight", 0, 0, 0, 0, 1, 0, 0, 0, 0);
        set(child(head, "conv"), "bias", 0);
        set(child(head, "cls_logits"), "weight", 1, -1);
        set(child(head, "cls_logits"), "bias", 0, 5.5f);
        set(child(head, "bbox_pred"), "weight", new float[8]);
        set(child(head, "bbox_pred"), "bias", 0, 0, LN2, LN1_5, 0, 0, 0, 0);
        return head;
    }

    /**
     * One level, Faster R-CNN's anchor rules ({@link AnchorTargets#fasterRcnn()}: IoU ≥ 0.7 / &lt; 0.3,
     * 256 anchors, half positive, border 0), λ = 1, β = 1/9; minimum size 7 original pixels;
     * training 4 → NMS 0.7 → 100, testing 12 → NMS 0.7 → 100.
     */
    private static RegionProposalNetwork rpn(RpnHead head) {
        float[] cell = AnchorGenerator.cellAnchors(new double[] {16, 32}, new double[] {1});
        return new RegionProposalNetwork(head, cell, STRIDE, AnchorTargets.fasterRcnn(),
                new ProposalFilter(4, 100, 0.7f, 7f, true, BoxCoder.rcnn()),
                new ProposalFilter(12, 100, 0.7f, 7f, true, BoxCoder.rcnn()),
                1f, SMOOTH_L1_BETA);
    }

    /** The head run on {@code n} copies of the map f. */
    private static RpnOutput forward(RegionProposalNetwork rpn, NDManager m, int n, boolean training) {
        float[] maps = new float[6 * n];
        for (int i = 0; i < n; i++) System.arraycopy(FEATURES, 0, maps, 6 * i, 6);
        NDArray features = m.create(maps, new Shape(n, 1, 2, 3));
        return rpn.forward(new ParameterStore(m, false), features, training);
    }

    /** A 24×16 original resized by 2 to the 48×32 input, with the given boxes (input pixels), class 1. */
    private static BatchImage image(float[] boxes) {
        int r = boxes.length / 4;
        int[] classes = new int[r];
        java.util.Arrays.fill(classes, 1);
        return new BatchImage(new ImageRecord(1, "pinned", "pinned.png", 24, 16, List.of()), null, 0, 0, 24, 16,
                WIDTH, HEIGHT, HEIGHT, 2.0, false, boxes, classes, new boolean[r], new boolean[r]);
    }

    private static Block child(Block parent, String suffix) {
        for (Pair<String, Block> c : parent.getChildren()) {
            if (c.getKey().endsWith(suffix)) return c.getValue();
        }
        throw new AssertionError("no child block " + suffix + " in " + parent.getChildren().keys());
    }

    private static void set(Block layer, String name, float... values) {
        Parameter p = layer.getParameters().get(name);
        assertEquals(values.length, p.getArray().size(), name + " size");
        p.getArray().set(FloatBuffer.wrap(values));
    }
}
