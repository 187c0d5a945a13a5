package org.rcnn4j.modeling.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.BoxCoder;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.RoiConfig;

/**
 * The detection head's RoI sampling (Fast R-CNN §2.3 "Mini-batch sampling"; torchvision's
 * {@code select_training_samples}, py-faster-rcnn's {@code proposal_target_layer}) for one image:
 *
 * <ol>
 *   <li>the ground-truth boxes are appended to the proposals (py-faster-rcnn does so for both Fast
 *       and Faster R-CNN), so every object has at least one foreground RoI from the first
 *       iteration; proposals with a NaN coordinate or negative size are dropped first;</li>
 *   <li>the candidates are matched ({@link Matcher#fastRcnn()}: foreground at IoU ≥ 0.5, background in
 *       [0.1, 0.5); {@link Matcher#fasterRcnnRoi()}: background in [0, 0.5));</li>
 *   <li>a mini-batch is drawn with at most 25 % foreground ({@link BalancedSampler}, "We take 25% of
 *       the RoIs from object proposals that have ... IoU ... at least 0.5"), filled with background;</li>
 *   <li>foreground RoIs get their ground-truth class (1..K) and their deltas to the matched box,
 *       normalised by {@link BoxCoder#fastRcnn()} (stds 0.1, 0.1, 0.2, 0.2; §2.3 "normalize the
 *       ground-truth regression targets"); background RoIs get label 0 and zero targets.</li>
 * </ol>
 *
 * <p><b>Empty cases.</b> Without ground truth every proposal is background (see {@link Matcher}), so
 * the sample holds only background RoIs. Without proposals, only the ground-truth boxes themselves
 * (when added). Without either, the sample is empty (S = 0): the caller skips the head's loss for
 * that image, or counts it as zero.
 *
 * <p>Immutable and thread-safe (the generator is the caller's).
 */
public final class RoiTargets {

    private final Matcher matcher;
    private final BalancedSampler sampler;
    private final BoxCoder coder;
    private final boolean addGtBoxes;

    /**
     * RoI sampling from its parts.
     *
     * @param matcher    assigns candidates to ground-truth boxes (its low-quality rule is normally off)
     * @param sampler    draws the RoIs per image with at most its fraction of foreground
     * @param coder      encodes regression targets
     * @param addGtBoxes whether the ground-truth boxes join the proposals as candidates
     */
    public RoiTargets(Matcher matcher, BalancedSampler sampler, BoxCoder coder, boolean addGtBoxes) {
        this.matcher = matcher;
        this.sampler = sampler;
        this.coder = coder;
        this.addGtBoxes = addGtBoxes;
    }

    /**
     * Fast R-CNN (§2.3): N = 2 images × 64 RoIs, 25 % foreground (IoU ≥ 0.5), background in
     * [0.1, 0.5), ground truth added, targets normalised.
     */
    public static RoiTargets fastRcnn() {
        return of(RoiConfig.fastRcnn());
    }

    /**
     * Faster R-CNN trained end to end (py-faster-rcnn: one image, {@code BATCH_SIZE 128},
     * {@code FG_FRACTION 0.25}, {@code BG_THRESH_LO 0.0}), ground truth added, targets normalised.
     */
    public static RoiTargets fasterRcnn() {
        return of(RoiConfig.fastRcnn().withSampling(128, 0f));
    }

    /**
     * The rules of {@code roi}: foreground at IoU ≥ {@code fgIoU}, background in [{@code bgLow},
     * {@code fgIoU}), {@code perImage} RoIs up to {@code fgFraction} foreground, ground truth added,
     * targets normalised by {@link BoxCoder#fastRcnn()} (§2.3).
     */
    public static RoiTargets of(RoiConfig roi) {
        return new RoiTargets(Matcher.forRois(roi), new BalancedSampler(roi.perImage(), roi.fgFraction()), BoxCoder.fastRcnn(), true);
    }

    /**
     * Samples training RoIs for one image.
     *
     * @param proposals R proposals, continuous convention, input-image pixels (may be empty)
     * @param gtBoxes   G ground-truth boxes, same pixels (may be empty)
     * @param gtClasses G classes in 1..K
     * @param random    the source of randomness
     * @return S ≤ batch size RoIs, foreground first
     */
    public SampledRois sampleRois(float[] proposals, float[] gtBoxes, int[] gtClasses, RandomGenerator random) {
        int g = Boxes.count(gtBoxes);
        if (gtClasses.length != g) {
            throw new IllegalArgumentException("gtClasses length " + gtClasses.length + " != " + g + " boxes");
        }
        for (int c : gtClasses) {
            if (c < 1) {
                throw new IllegalArgumentException("ground-truth classes must be 1..K (0 is background): " + c);
            }
        }
        // removeSmall(.., 0) keeps every box with x2 >= x1 and y2 >= y1, and drops NaN rows.
        float[] valid = Boxes.select(proposals, Boxes.removeSmall(proposals, 0f));
        float[] candidates = addGtBoxes ? Boxes.concat(valid, gtBoxes) : valid;
        MatchResult match = matcher.match(candidates, gtBoxes);
        SampledIndices sample = sampler.sample(match, random);

        int fg = sample.positives().length;
        int s = sample.size();
        int[] chosen = new int[s];
        System.arraycopy(sample.positives(), 0, chosen, 0, fg);
        System.arraycopy(sample.negatives(), 0, chosen, fg, s - fg);
        float[] rois = Boxes.select(candidates, chosen);
        int[] labels = new int[s];
        int[] matchedGt = new int[s];
        float[] targets = new float[4 * s];
        int[] fgGt = new int[fg];
        for (int k = 0; k < s; k++) {
            matchedGt[k] = k < fg ? match.matchedGt()[chosen[k]] : -1;
            labels[k] = k < fg ? gtClasses[matchedGt[k]] : 0;
        }
        System.arraycopy(matchedGt, 0, fgGt, 0, fg);
        // Foreground RoIs overlap their box with IoU >= the foreground threshold > 0, so both have
        // positive size and encoding cannot fail.
        float[] fgTargets = coder.encode(Arrays.copyOf(rois, 4 * fg), Boxes.select(gtBoxes, fgGt));
        System.arraycopy(fgTargets, 0, targets, 0, 4 * fg);
        return new SampledRois(rois, labels, targets, matchedGt, fg);
    }
}
