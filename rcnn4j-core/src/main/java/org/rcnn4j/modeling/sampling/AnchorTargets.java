package org.rcnn4j.modeling.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.RpnConfig;

/**
 * The RPN's target assignment (torchvision's {@code assign_targets_to_anchors}, py-faster-rcnn's
 * {@code anchor_target_layer}): labels every anchor of one image positive, negative or ignored,
 * draws the mini-batch, and encodes box targets for the positives.
 *
 * <ol>
 *   <li>Anchors crossing the image border by more than {@code allowedBorder} pixels are ignored and
 *       never sampled (Faster R-CNN §3.3: "During training, we ignore all cross-boundary anchors so
 *       they do not contribute to the loss"; py-faster-rcnn's allowed border 0). An infinite border
 *       keeps every anchor (torchvision's choice).</li>
 *   <li>The inside anchors are matched to the ground truth ({@link Matcher#rpn()}: IoU ≥ 0.7 or a
 *       ground-truth box's best anchor → positive; &lt; 0.3 → negative; §3.1.2).</li>
 *   <li>A balanced mini-batch is drawn ({@link BalancedSampler#rpn()}: 256 anchors, up to 1:1,
 *       padded with negatives; §3.1.3).</li>
 *   <li>Every positive anchor gets its deltas to its matched box ({@link BoxCoder#rcnn()}, the
 *       unnormalised parameterisation py-faster-rcnn and torchvision use for the RPN).</li>
 * </ol>
 * An image without ground truth has every inside anchor negative, so its batch is all negatives.
 *
 * <p>Anchors and boxes use the continuous convention of the network's input image; anchors from
 * {@link AnchorGenerator#generateAnchors} must go through {@link Boxes#fromInclusive} first.
 *
 * <p>Immutable and thread-safe (the generator is the caller's).
 */
public final class AnchorTargets {

    private final Matcher matcher;
    private final BalancedSampler sampler;
    private final BoxCoder coder;
    private final float allowedBorder;

    /**
     * Target assignment from its parts.
     *
     * @param matcher       assigns anchors to ground-truth boxes
     * @param sampler       draws the mini-batch
     * @param coder         encodes the regression targets
     * @param allowedBorder pixels an anchor may reach past the image and still be used (≥ 0; 0 =
     *                      strictly inside; {@code Float.POSITIVE_INFINITY} = all anchors)
     */
    public AnchorTargets(Matcher matcher, BalancedSampler sampler, BoxCoder coder, float allowedBorder) {
        if (!(allowedBorder >= 0f)) {
            throw new IllegalArgumentException("allowedBorder must be >= 0: " + allowedBorder);
        }
        this.matcher = matcher;
        this.sampler = sampler;
        this.coder = coder;
        this.allowedBorder = allowedBorder;
    }

    /** Faster R-CNN's RPN training rules (§3.1.2, §3.1.3, §3.3), as listed in the class javadoc: {@link RpnConfig#fasterRcnn()}. */
    public static AnchorTargets fasterRcnn() {
        return of(RpnConfig.fasterRcnn());
    }

    /**
     * The rules of {@code rpn}: its IoU thresholds with low-quality matches, its sample of
     * {@code batchSize} anchors up to {@code positiveFraction} positive, R-CNN's box coder, and
     * cross-boundary anchors ignored (§3.3).
     */
    public static AnchorTargets of(RpnConfig rpn) {
        return new AnchorTargets(Matcher.forRpn(rpn), new BalancedSampler(rpn.batchSize(), rpn.positiveFraction()),
                BoxCoder.rcnn(), 0f);
    }

    /**
     * Labels, samples and encodes targets for one image's anchors.
     *
     * @param anchors A anchors over the whole image (all positions and levels), continuous convention
     * @param width   the input image's width in pixels
     * @param height  the input image's height in pixels
     * @param gtBoxes G ground-truth boxes in input-image pixels (may be empty)
     * @param random  the source of randomness for the mini-batch
     * @return the targets for all A anchors
     */
    public RpnTargets assignTargetsToAnchors(float[] anchors, int width, int height, float[] gtBoxes,
            RandomGenerator random) {
        int a = Boxes.count(anchors);
        int[] inside = allowedBorder == Float.POSITIVE_INFINITY
                ? Boxes.removeSmall(anchors, Float.NEGATIVE_INFINITY) // all but NaN rows
                : AnchorGenerator.insideImage(anchors, width, height, allowedBorder);
        MatchResult match = matcher.match(Boxes.select(anchors, inside), gtBoxes);

        int[] labels = new int[a];
        int[] matchedGt = new int[a];
        Arrays.fill(labels, RpnTargets.IGNORED);
        Arrays.fill(matchedGt, -1);
        for (int k = 0; k < inside.length; k++) {
            int m = match.matchedGt()[k];
            if (m >= 0) {
                labels[inside[k]] = RpnTargets.POSITIVE;
                matchedGt[inside[k]] = m;
            } else if (m == Matcher.BACKGROUND) {
                labels[inside[k]] = RpnTargets.NEGATIVE;
            }
        }

        SampledIndices local = sampler.sample(match, random);
        SampledIndices sample = new SampledIndices(
                Boxes.gather(inside, local.positives()), Boxes.gather(inside, local.negatives()));
        boolean[] sampled = new boolean[a];
        for (int i : sample.positives()) {
            sampled[i] = true;
        }
        for (int i : sample.negatives()) {
            sampled[i] = true;
        }
        float[] targets = encodePositives(anchors, gtBoxes, matchedGt);
        return new RpnTargets(labels, targets, matchedGt, sampled, sample);
    }

    /** A×4 deltas: each positive anchor against its matched box, zeros elsewhere. */
    private float[] encodePositives(float[] anchors, float[] gtBoxes, int[] matchedGt) {
        float[] targets = new float[anchors.length];
        int[] positives = new int[matchedGt.length];
        int p = 0;
        for (int i = 0; i < matchedGt.length; i++) {
            if (matchedGt[i] >= 0) {
                positives[p++] = i;
            }
        }
        positives = Arrays.copyOf(positives, p);
        // A positive has IoU > 0 with its box, so both have positive size and encode cannot throw.
        float[] deltas = coder.encode(Boxes.select(anchors, positives),
                Boxes.select(gtBoxes, Boxes.gather(matchedGt, positives)));
        for (int k = 0; k < p; k++) {
            System.arraycopy(deltas, 4 * k, targets, 4 * positives[k], 4);
        }
        return targets;
    }
}
