package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
        this.pooler = pooler;
        this.boxHead = boxHead;
        this.predictor = predictor;
        this.weights = new FusedHeadWeights(new Shape(1, channels, pooler.outputSize(), pooler.outputSize()), boxHead, predictor);
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
     * ({@code region_features}), head and predictor ({@code head}) and post-processing to {@code times}.
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
        NDArray pooled = poolAll(maps, rois);
        times.lap("region_features");
        return detectPooled(ps, pooled, rois, images, times);
    }

    /**
     * The head, the predictor and post-processing on RoI features pooled by the caller (from an
     * image pyramid, say): detections for each image, in original-image pixels.
     *
     * @param pooled (ΣR, C, h, w) pooled features, image 0's R_0 RoIs first, then image 1's...
     * @param rois   per image, its R_i RoIs in the frame of {@code images.get(i)} (width, height, scale)
     */
    public List<ImageDetections> detectPooled(ParameterStore ps, NDArray pooled, List<float[]> rois,
            List<BatchImage> images, StageTimes times) {
        NDList out = predict(ps, pooled, false);
        float[] scores = predictor.testScores(out.get(0));
        float[] deltas = out.get(1).toFloatArray();
        times.lap("head");
        int classes = (int) out.get(0).getShape().get(1);
        List<ImageDetections> result = new ArrayList<>(images.size());
        int offset = 0;
        for (int i = 0; i < images.size(); i++) {
            int r = rois.get(i).length / 4;
            BatchImage im = images.get(i);
            result.add(postProcessor.postprocessDetections(
                    Arrays.copyOfRange(scores, offset * classes, (offset + r) * classes),
                    Arrays.copyOfRange(deltas, offset * 4 * classes, (offset + r) * 4 * classes),
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
