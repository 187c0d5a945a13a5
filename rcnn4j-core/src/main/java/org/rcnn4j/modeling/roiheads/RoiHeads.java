package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.losses.LossTerms;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.modeling.poolers.RegionPooler;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.modeling.sampling.RoiTargets;
import org.rcnn4j.modeling.sampling.SampledRois;
import org.rcnn4j.preprocess.BatchImage;

/**
 * The region stage of the two-stage detectors (torchvision's {@code RoIHeads}, Detectron2's
 * {@code StandardROIHeads}): sample RoIs from the proposals ({@link RoiTargets}, Fast R-CNN §2.3),
 * pool each image's RoIs in one call ({@link RegionPooler}: one map, or FPN's levels), run the
 * {@link BoxHead} for region features and the {@link BoxPredictor} for class scores and box deltas,
 * then either compute the multi-task loss (Fast R-CNN eq. 1) or post-process detections
 * ({@link DetectionPostProcessor}).
 *
 * <p>Shapes: N images, R_i RoIs of image i, K classes; pooled {@code (ΣR, C, h, w)}, region features
 * {@code (ΣR, D)}, scores {@code (ΣR, K+1)}, deltas {@code (ΣR, 4(K+1))}. An image without objects
 * gets only background RoIs (box loss 0); a batch without any RoI gets zero losses that still reach
 * the parameters, and images without proposals get no detections.
 */
public final class RoiHeads {
    private final RegionPooler pooler;
    private final BoxHead boxHead;
    private final BoxPredictor predictor;
    private final Block weights;
    private final RoiTargets roiTargets;
    private final DetectionPostProcessor postProcessor;
    private final float boxLossWeight;
    private final float smoothL1Beta;
    private final int regionsPerPass;

    /**
     * @param pooler        RoI max pooling 7×7 (Fast R-CNN), RoIAlign, or FPN's level-mapped pooling
     * @param boxHead       the per-region layers (initialised)
     * @param predictor     the class scores and box deltas (initialised)
     * @param channels      C of the pooled features, recorded with the saved weights
     * @param roiTargets    RoI sampling and target encoding (its coder must be the post-processor's)
     * @param postProcessor detections from the predictor's outputs
     * @param boxLossWeight λ of Fast R-CNN eq. 1 (1)
     * @param smoothL1Beta  smooth L1 transition (1 in the paper)
     */
    public RoiHeads(RegionPooler pooler, BoxHead boxHead, BoxPredictor predictor, int channels, RoiTargets roiTargets,
            DetectionPostProcessor postProcessor, float boxLossWeight, float smoothL1Beta) {
        this(pooler, boxHead, predictor, channels, roiTargets, postProcessor, boxLossWeight, smoothL1Beta, Integer.MAX_VALUE);
    }

    /**
     * A region stage that tests at most {@code regionsPerPass} regions per pooling and forward pass,
     * bounding the memory of a head that is a whole network per region (R-CNN's warped regions: 2000
     * of them at 227×227 are 1.2 GB of input alone, before the activations).
     *
     * @param regionsPerPass regions pooled and run through the head together at test, at least 1
     */
    public RoiHeads(RegionPooler pooler, BoxHead boxHead, BoxPredictor predictor, int channels, RoiTargets roiTargets,
            DetectionPostProcessor postProcessor, float boxLossWeight, float smoothL1Beta, int regionsPerPass) {
        if (regionsPerPass < 1) throw new IllegalArgumentException("regionsPerPass must be positive, got " + regionsPerPass);
        this.regionsPerPass = regionsPerPass;
        this.pooler = pooler;
        this.boxHead = boxHead;
        this.predictor = predictor;
        this.weights = new FusedHeadWeights(new Shape(1, channels, pooler.outputSize(), pooler.outputWidth()), boxHead, predictor);
        this.roiTargets = roiTargets;
        this.postProcessor = postProcessor;
        this.boxLossWeight = boxLossWeight;
        this.smoothL1Beta = smoothL1Beta;
    }

    public RegionPooler pooler() {
        return pooler;
    }

    public BoxHead boxHead() {
        return boxHead;
    }

    public BoxPredictor predictor() {
        return predictor;
    }

    /**
     * The box head's and the predictor's layers as the one block a model directory saves as
     * {@code box_head} ({@link FusedHeadWeights}); freeze it to freeze both.
     */
    public Block weights() {
        return weights;
    }

    /**
     * Fast R-CNN eq. 1 for a batch: {@code L_cls} averaged over all sampled RoIs and
     * {@code λ·[u ≥ 1]·smoothL1(t^u, v)} summed over foreground RoIs and divided by the same count.
     *
     * @param maps      the batch's feature maps, as the pooler reads them
     * @param proposals per image, the proposals to sample from, in its input frame
     * @return {@value LossTerms#ROI_CLS} and {@value LossTerms#ROI_BOX}
     */
    public LossTerms computeLoss(ParameterStore ps, List<NDArray> maps, List<Proposals> proposals,
            List<BatchImage> images, RandomGenerator random) {
        List<float[]> rois = new ArrayList<>(images.size());
        List<SampledRois> samples = new ArrayList<>(images.size());
        int total = 0;
        for (int i = 0; i < images.size(); i++) {
            GroundTruth gt = GroundTruth.of(images.get(i));
            SampledRois s = roiTargets.sampleRois(proposals.get(i).boxes(), gt.boxes(), gt.classes(), random);
            samples.add(s);
            rois.add(s.rois());
            total += s.size();
        }
        if (total == 0) {
            // No proposal and no object in the whole batch: nothing to classify; a zero loss that
            // still reaches the parameters keeps the iteration an ordinary one.
            NDArray zero = Losses.scale(maps.get(0).sum(), 0f);
            return LossTerms.of(LossTerms.ROI_CLS, zero, LossTerms.ROI_BOX, zero);
        }
        NDList out = predict(ps, poolAll(maps, rois), true);
        NDArray logits = out.get(0);
        NDArray deltas = out.get(1);
        int[] labels = new int[total];
        long[] fgIdx = new long[4 * total];
        float[] fgTargets = new float[4 * total];
        int fg = 0;
        int row = 0;
        long cols = deltas.getShape().get(1);
        for (SampledRois s : samples) {
            for (int k = 0; k < s.size(); k++, row++) {
                labels[row] = s.labels()[k];
                if (s.labels()[k] > 0) {
                    for (int c = 0; c < 4; c++) fgIdx[4 * fg + c] = row * cols + 4L * s.labels()[k] + c;
                    System.arraycopy(s.regressionTargets(), 4 * k, fgTargets, 4 * fg, 4);
                    fg++;
                }
            }
        }
        NDArray cls = Losses.softmaxCrossEntropy(logits, labels);
        NDArray fgDeltas = Losses.selectFlat(deltas, Arrays.copyOf(fgIdx, 4 * fg)).reshape(fg, 4);
        NDArray box = Losses.scale(Losses.smoothL1Sum(fgDeltas, Arrays.copyOf(fgTargets, 4 * fg), smoothL1Beta),
                boxLossWeight / Math.max(1, total));
        return LossTerms.of(LossTerms.ROI_CLS, cls, LossTerms.ROI_BOX, box);
    }

    /**
     * Detections for each image of the batch, in original-image pixels, charging pooling
     * ({@code region_features}), the box head ({@code head}), the predictor ({@code predictor}) and
     * post-processing to {@code times}. At most {@code regionsPerPass} regions are pooled and run at once.
     *
     * @param maps      the batch's feature maps, as the pooler reads them
     * @param proposals per image, the RoIs to classify (e.g. the RPN's top 300), in its input frame
     */
    public List<ImageDetections> detect(ParameterStore ps, List<NDArray> maps, List<Proposals> proposals,
            List<BatchImage> images, StageTimes times) {
        List<float[]> rois = new ArrayList<>(images.size());
        int total = 0;
        for (Proposals p : proposals) {
            rois.add(p.boxes());
            total += p.size();
        }
        if (total == 0) return new ArrayList<>(Collections.nCopies(images.size(), ImageDetections.EMPTY));
        if (total <= regionsPerPass) {
            NDArray pooled = poolAll(maps, rois);
            times.lap("region_features");
            return detectPooled(ps, pooled, rois, images, times);
        }
        Outputs out = new Outputs(total, predictor.numClasses() + 1);
        for (int i = 0; i < rois.size(); i++) {
            float[] r = rois.get(i);
            for (int start = 0; start < r.length / 4; start += regionsPerPass) {
                int end = Math.min(r.length / 4, start + regionsPerPass);
                NDArray pooled = pooler.pool(maps, i, Arrays.copyOfRange(r, 4 * start, 4 * end));
                times.lap("region_features");
                out.add(predictTest(ps, pooled, times));
                pooled.close();
            }
        }
        return postprocess(out, rois, images, times);
    }

    /**
     * The head, the predictor and post-processing on RoI features pooled by the caller (from an
     * image pyramid, say): detections for each image, in original-image pixels. The head runs on at
     * most {@code regionsPerPass} regions at once.
     *
     * @param pooled (ΣR, C, h, w) pooled features, image 0's R_0 RoIs first, then image 1's...
     * @param rois   per image, its R_i RoIs in the frame of {@code images.get(i)} (width, height, scale)
     */
    public List<ImageDetections> detectPooled(ParameterStore ps, NDArray pooled, List<float[]> rois,
            List<BatchImage> images, StageTimes times) {
        int total = Math.toIntExact(pooled.getShape().get(0));
        Outputs out = new Outputs(total, predictor.numClasses() + 1);
        for (int start = 0; start < total; start += regionsPerPass) {
            int end = Math.min(total, start + regionsPerPass);
            if (start == 0 && end == total) {
                out.add(predictTest(ps, pooled, times));
            } else {
                try (NDArray part = pooled.get(start + ":" + end)) {
                    out.add(predictTest(ps, part, times));
                }
            }
        }
        return postprocess(out, rois, images, times);
    }

    /** Test scores and deltas of regions, row after row. */
    private static final class Outputs {
        final float[] scores;
        final float[] deltas;
        final int classes;
        int rows;

        Outputs(int regions, int classes) {
            this.scores = new float[regions * classes];
            this.deltas = new float[regions * 4 * classes];
            this.classes = classes;
        }

        void add(float[][] part) {
            System.arraycopy(part[0], 0, scores, rows * classes, part[0].length);
            System.arraycopy(part[1], 0, deltas, rows * 4 * classes, part[1].length);
            rows += part[0].length / classes;
        }
    }

    /** The predictor's test scores and deltas of pooled regions, the head and predictor timed apart. */
    private float[][] predictTest(ParameterStore ps, NDArray pooled, StageTimes times) {
        // The head's intermediate arrays live in the manager of its input until it closes: a
        // manager per pass frees them pass by pass, so memory stays at one pass's activations
        // (R-CNN's CNN on 256 warps of 227×227 makes gigabytes of them).
        try (NDManager pass = pooled.getManager().newSubManager()) {
            pooled.tempAttach(pass);
            NDList features = boxHead.forward(ps, new NDList(pooled), false);
            times.lap("head");
            NDList out = predictor.forward(ps, features, false);
            float[][] result = {predictor.testScores(out.get(0)), out.get(1).toFloatArray()};
            times.lap("predictor");
            return result;
        }
    }

    private List<ImageDetections> postprocess(Outputs out, List<float[]> rois, List<BatchImage> images, StageTimes times) {
        int classes = out.classes;
        List<ImageDetections> result = new ArrayList<>(images.size());
        int offset = 0;
        for (int i = 0; i < images.size(); i++) {
            int r = rois.get(i).length / 4;
            BatchImage im = images.get(i);
            result.add(postProcessor.postprocessDetections(
                    Arrays.copyOfRange(out.scores, offset * classes, (offset + r) * classes),
                    Arrays.copyOfRange(out.deltas, offset * 4 * classes, (offset + r) * 4 * classes),
                    rois.get(i), im.width(), im.height(), (float) im.scale(), im.originalWidth(), im.originalHeight()));
            offset += r;
        }
        times.lap("postprocess");
        return result;
    }

    /** Box head then predictor: {@code [scores (R, K+1), deltas (R, 4(K+1))]}. */
    private NDList predict(ParameterStore ps, NDArray pooled, boolean training) {
        NDList features = boxHead.forward(ps, new NDList(pooled), training);
        return predictor.forward(ps, features, training);
    }

    /** Each image's RoIs pooled, concatenated: (ΣR, C, h, w). */
    private NDArray poolAll(List<NDArray> maps, List<float[]> rois) {
        NDList pooled = new NDList(rois.size());
        for (int i = 0; i < rois.size(); i++) pooled.add(pooler.pool(maps, i, rois.get(i)));
        return pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 0);
    }
}
