package org.rcnn4j.modeling.rpn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.AnchorGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.modeling.sampling.AnchorTargets;
import org.rcnn4j.modeling.sampling.RpnTargets;
import org.rcnn4j.preprocess.BatchImage;

/**
 * The Region Proposal Network of Faster R-CNN (§3.1) on one shared feature map of stride s: its
 * layers ({@link RpnHead}), its anchors (A per position, §3.1.1), the proposals it hands on
 * ({@link #filterProposals}: decode, clip, drop tiny, top-N, NMS 0.7, §3.3), and its loss
 * ({@link #computeLoss}, eq. 1: objectness cross-entropy over 256 sampled anchors plus λ·smooth L1 on
 * the positives, normalised by the mini-batch size). Target assignment happens once, in
 * {@link AnchorTargets}; this class only gathers the sampled predictions.
 *
 * <p><b>On a pyramid</b> (FPN §4.1) the same head slides over every level, each level with its own
 * stride and cell anchors (one size × 3 ratios); the levels' anchors are laid out one after the
 * other (finest first), so labels are assigned over all levels together and the proposal filter
 * takes its pre-NMS top-N per level ({@link RpnOutput#levelSizes()}).
 */
public final class RegionProposalNetwork {
    /**
     * One map the head runs on.
     *
     * @param cellAnchors A×4 anchors of one position, centred at 0 ({@link AnchorGenerator#cellAnchors})
     * @param stride      the map's stride in input pixels
     * @param strideFromSize whether the anchors step instead by the input's size divided (integer
     *                    division) by this map's, per axis (torchvision's rule), the input's size being
     *                    the first level's cells times its stride
     */
    public record Level(float[] cellAnchors, float stride, boolean strideFromSize) {
        /** Anchors stepping by the nominal stride. */
        public Level(float[] cellAnchors, float stride) {
            this(cellAnchors, stride, false);
        }
    }

    private final RpnHead head;
    private final List<Level> levels;
    private final AnchorTargets anchorTargets;
    private final ProposalFilter trainingFilter;
    private final ProposalFilter testingFilter;
    private final float boxLossWeight;
    private final float smoothL1Beta;
    private final Map<List<Integer>, float[]> anchorCache = new ConcurrentHashMap<>();

    /**
     * @param head           the layers
     * @param cellAnchors    A×4 anchors of one position, centred at 0 ({@link AnchorGenerator#cellAnchors})
     * @param stride         the map's stride in input pixels (16 for the C4/conv5 maps)
     * @param anchorTargets  labels and samples anchors for training
     * @param trainingFilter proposals in training (2000 after NMS in the paper)
     * @param testingFilter  proposals at test time (300)
     * @param boxLossWeight  λ of eq. 1 (1 with the mini-batch normalisation used here)
     * @param smoothL1Beta   smooth L1 transition (1/9: py-faster-rcnn's RPN sigma = 3)
     */
    public RegionProposalNetwork(RpnHead head, float[] cellAnchors, float stride, AnchorTargets anchorTargets,
            ProposalFilter trainingFilter, ProposalFilter testingFilter, float boxLossWeight, float smoothL1Beta) {
        this(head, List.of(new Level(cellAnchors, stride)), anchorTargets, trainingFilter, testingFilter,
                boxLossWeight, smoothL1Beta);
    }

    /**
     * An RPN whose one head runs on several maps (FPN §4.1: P2..P6).
     *
     * @param levels the maps' strides and cell anchors, in the order {@link #forward(ParameterStore, List, boolean)}
     *               receives the maps; every level has the head's A anchors per position
     */
    public RegionProposalNetwork(RpnHead head, List<Level> levels, AnchorTargets anchorTargets,
            ProposalFilter trainingFilter, ProposalFilter testingFilter, float boxLossWeight, float smoothL1Beta) {
        if (levels.isEmpty()) throw new IllegalArgumentException("an RPN needs at least one level");
        List<Level> copies = new ArrayList<>();
        for (Level l : levels) {
            if (l.cellAnchors().length / 4 != head.anchorsPerCell()) {
                throw new IllegalArgumentException(l.cellAnchors().length / 4 + " cell anchors for a head of "
                        + head.anchorsPerCell());
            }
            copies.add(new Level(l.cellAnchors().clone(), l.stride(), l.strideFromSize()));
        }
        this.head = head;
        this.levels = List.copyOf(copies);
        this.anchorTargets = anchorTargets;
        this.trainingFilter = trainingFilter;
        this.testingFilter = testingFilter;
        this.boxLossWeight = boxLossWeight;
        this.smoothL1Beta = smoothL1Beta;
    }

    public RpnHead head() {
        return head;
    }

    /** The maps the head runs on, in order. */
    public List<Level> levels() {
        return levels;
    }

    /**
     * Runs the head on the shared map and lays its outputs out in anchor order.
     *
     * @param features (N, C, H, W) shared map
     */
    public RpnOutput forward(ParameterStore ps, NDArray features, boolean training) {
        return forward(ps, List.of(features), training);
    }

    /**
     * Runs the one head on each level's map and lays the outputs out in anchor order, level after
     * level.
     *
     * @param maps one (N, C, H_l, W_l) map per level, in {@link #levels()} order
     */
    public RpnOutput forward(ParameterStore ps, List<NDArray> maps, boolean training) {
        if (maps.size() != levels.size()) {
            throw new IllegalArgumentException(maps.size() + " maps for an RPN of " + levels.size() + " levels");
        }
        long n = maps.get(0).getShape().get(0);
        int a = head.anchorsPerCell();
        NDList logitParts = new NDList();
        NDList deltaParts = new NDList();
        int[] levelSizes = new int[maps.size()];
        float[][] levelAnchors = new float[maps.size()][];
        // The input's size as the first (finest) level sees it, for levels whose anchors step by size.
        int inputH = (int) (maps.get(0).getShape().get(2) * levels.get(0).stride());
        int inputW = (int) (maps.get(0).getShape().get(3) * levels.get(0).stride());
        for (int l = 0; l < maps.size(); l++) {
            NDArray features = maps.get(l);
            NDList out = head.forward(ps, new NDList(features), training);
            int h = (int) features.getShape().get(2);
            int w = (int) features.getShape().get(3);
            logitParts.add(out.get(0).transpose(0, 2, 3, 1).reshape(n, (long) h * w * a));
            deltaParts.add(out.get(1).reshape(n, a, 4, h, w).transpose(0, 3, 4, 1, 2).reshape(n, (long) h * w * a, 4));
            levelSizes[l] = h * w * a;
            levelAnchors[l] = anchors(l, h, w, inputH, inputW);
        }
        // NDArrays.concat of a single array returns a copy detached from autograd: skip it.
        NDArray logits = logitParts.size() == 1 ? logitParts.get(0) : NDArrays.concat(logitParts, 1);
        NDArray deltas = deltaParts.size() == 1 ? deltaParts.get(0) : NDArrays.concat(deltaParts, 1);
        float[] allScores = logits.toFloatArray();
        float[] allDeltas = deltas.toFloatArray();
        int per = 0;
        for (int s : levelSizes) per += s;
        float[][] scores = new float[(int) n][];
        float[][] boxDeltas = new float[(int) n][];
        for (int i = 0; i < n; i++) {
            scores[i] = java.util.Arrays.copyOfRange(allScores, i * per, (i + 1) * per);
            boxDeltas[i] = java.util.Arrays.copyOfRange(allDeltas, 4 * i * per, 4 * (i + 1) * per);
        }
        float[] anchors = levelAnchors.length == 1 ? levelAnchors[0] : concatF(java.util.Arrays.asList(levelAnchors));
        return new RpnOutput(logits, deltas, anchors, scores, boxDeltas, levelSizes);
    }

    /** Anchors of an H×W map (the first level's), cached by size. */
    public float[] anchors(int h, int w) {
        Level first = levels.get(0);
        return anchors(0, h, w, (int) (h * first.stride()), (int) (w * first.stride()));
    }

    /**
     * Anchors of level {@code level}'s map of H×W cells for an input of {@code inputH × inputW}
     * pixels, cached by level and sizes (a training run sees a handful of sizes).
     */
    public float[] anchors(int level, int h, int w, int inputH, int inputW) {
        Level l = levels.get(level);
        if (!l.strideFromSize()) {
            return anchorCache.computeIfAbsent(List.of(level, h, w), k -> AnchorGenerator.shifted(l.cellAnchors(), h, w, l.stride()));
        }
        return anchorCache.computeIfAbsent(List.of(level, h, w, inputH, inputW), k -> AnchorGenerator.shifted(l.cellAnchors(),
                h, w, h == 0 ? 0 : inputH / h, w == 0 ? 0 : inputW / w));
    }

    /**
     * The proposals of each image (no gradient flows through them: Faster R-CNN's approximate joint
     * training ignores the derivative w.r.t. the proposal coordinates, §3.2).
     */
    public List<Proposals> filterProposals(RpnOutput out, List<BatchImage> images, boolean training) {
        ProposalFilter filter = training ? trainingFilter : testingFilter;
        List<Proposals> proposals = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            BatchImage im = images.get(i);
            proposals.add(filter.filterProposals(out.anchors(), out.boxDeltas()[i], out.scores()[i], out.levelSizes(),
                    im.width(), im.height(), im.scale()));
        }
        return proposals;
    }

    /**
     * Faster R-CNN eq. 1 over the batch: L_cls averaged over the sampled anchors of all images,
     * λ·smooth L1 of the positives summed and divided by the same count.
     *
     * @return {@value LossTerms#RPN_CLS} and {@value LossTerms#RPN_BOX}
     */
    public LossTerms computeLoss(RpnOutput out, List<BatchImage> images, RandomGenerator random) {
        int per = out.numAnchors();
        List<long[]> sampledIdx = new ArrayList<>();
        List<float[]> sampledLabels = new ArrayList<>();
        List<long[]> positiveIdx = new ArrayList<>();
        List<float[]> positiveTargets = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BatchImage im = images.get(i);
            RpnTargets t = anchorTargets.assignTargetsToAnchors(out.anchors(), im.width(), im.height(),
                    GroundTruth.of(im).boxes(), random);
            int[] pos = t.sample().positives();
            int[] neg = t.sample().negatives();
            long[] idx = new long[pos.length + neg.length];
            float[] labels = new float[idx.length];
            long[] posFlat = new long[pos.length];
            float[] targets = new float[4 * pos.length];
            for (int k = 0; k < pos.length; k++) {
                idx[k] = (long) i * per + pos[k];
                labels[k] = 1f;
                posFlat[k] = idx[k];
                System.arraycopy(t.regressionTargets(), 4 * pos[k], targets, 4 * k, 4);
            }
            for (int k = 0; k < neg.length; k++) idx[pos.length + k] = (long) i * per + neg[k];
            sampledIdx.add(idx);
            sampledLabels.add(labels);
            positiveIdx.add(posFlat);
            positiveTargets.add(targets);
        }
        long[] idx = concat(sampledIdx);
        float[] labels = concatF(sampledLabels);
        long[] pos = concat(positiveIdx);
        NDArray cls = Losses.binaryCrossEntropyWithLogits(Losses.selectFlat(out.logits(), idx), labels);
        NDArray posDeltas = Losses.selectFlat(out.deltas(), rowsToFlat(pos)).reshape(pos.length, 4);
        NDArray box = Losses.scale(Losses.smoothL1Sum(posDeltas, concatF(positiveTargets), smoothL1Beta),
                boxLossWeight / Math.max(1, idx.length));
        return LossTerms.of(LossTerms.RPN_CLS, cls, LossTerms.RPN_BOX, box);
    }

    private static long[] rowsToFlat(long[] rows) {
        long[] flat = new long[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < 4; c++) flat[4 * i + c] = rows[i] * 4 + c;
        }
        return flat;
    }

    private static long[] concat(List<long[]> parts) {
        int n = 0;
        for (long[] p : parts) n += p.length;
        long[] out = new long[n];
        int o = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static float[] concatF(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
