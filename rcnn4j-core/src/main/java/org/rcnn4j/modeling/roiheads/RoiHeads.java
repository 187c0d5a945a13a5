package org.rcnn4j.modeling.roiheads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.modeling.losses.Losses;
import org.rcnn4j.modeling.poolers.RegionFeatures;
import org.rcnn4j.modeling.poolers.RoIPooler;
import org.rcnn4j.modeling.postprocess.DetectionPostProcessor;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.modeling.sampling.RoiTargets;
import org.rcnn4j.modeling.sampling.SampledRois;
import org.rcnn4j.preprocess.TrainingImage;

/**
 * The second stage of Fast/Faster R-CNN on a single-scale map: sample RoIs from the proposals
 * ({@link RoiTargets}, Fast R-CNN §2.3), pool each image's RoIs in one call ({@link RoIPooler}),
 * run the {@link RegionHead} ({@link BoxHead} or {@link C5BoxHead}), and either compute the
 * multi-task loss (Fast R-CNN eq. 1) or post-process detections ({@link DetectionPostProcessor}).
 *
 * <p>The methods taking a {@link RegionFeatures} pool elsewhere: FPN passes its pyramid's
 * level-mapped pooling (FPN §4.2), and this head's own pooler is then unused.
 */
public final class RoiHeads {
    private final RoIPooler pooler;
    private final RegionHead head;
    private final float spatialScale;
    private final RoiTargets roiTargets;
    private final DetectionPostProcessor postProcessor;
    private final float boxLossWeight;
    private final float smoothL1Beta;

    /**
     * @param pooler        RoI max pooling 7×7 (Fast R-CNN) or RoIAlign
     * @param head          the per-region layers and the sibling outputs
     * @param spatialScale  1 / stride of the pooled map
     * @param roiTargets    RoI sampling and target encoding (its coder must be the post-processor's)
     * @param postProcessor detections from the head's outputs
     * @param boxLossWeight λ of Fast R-CNN eq. 1 (1)
     * @param smoothL1Beta  smooth L1 transition (1 in the paper)
     */
    public RoiHeads(RoIPooler pooler, RegionHead head, float spatialScale, RoiTargets roiTargets,
            DetectionPostProcessor postProcessor, float boxLossWeight, float smoothL1Beta) {
        this.pooler = pooler;
        this.head = head;
        this.spatialScale = spatialScale;
        this.roiTargets = roiTargets;
        this.postProcessor = postProcessor;
        this.boxLossWeight = boxLossWeight;
        this.smoothL1Beta = smoothL1Beta;
    }

    public RegionHead head() {
        return head;
    }

    public RoIPooler pooler() {
        return pooler;
    }

    /** Cells of the pooled map per input pixel, 1 / stride. */
    public float spatialScale() {
        return spatialScale;
    }

    /**
     * The head's loss for a batch: {@code L_cls} averaged over all sampled RoIs and
     * {@code λ·[u ≥ 1]·smoothL1(t^u, v)} summed over foreground RoIs and divided by the same count.
     *
     * @param features  (N, C, H, W) shared map
     * @param proposals per image, the proposals to sample from
     * @return {roiCls, roiBox}
     */
    public NDArray[] computeLoss(ParameterStore ps, NDArray features, List<Proposals> proposals,
            List<TrainingImage> images, RandomGenerator random) {
        return computeLoss(ps, RegionFeatures.singleMap(pooler, features, spatialScale), proposals, images, random);
    }

    /**
     * As {@link #computeLoss(ParameterStore, NDArray, List, List, RandomGenerator)}, with the RoIs
     * pooled by {@code regions} (e.g. from FPN's pyramid levels) instead of this head's pooler.
     */
    public NDArray[] computeLoss(ParameterStore ps, RegionFeatures regions, List<Proposals> proposals,
            List<TrainingImage> images, RandomGenerator random) {
        List<float[]> rois = new ArrayList<>(images.size());
        List<SampledRois> samples = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            GroundTruth gt = GroundTruth.of(images.get(i));
            SampledRois s = roiTargets.sampleRois(proposals.get(i).boxes(), gt.boxes(), gt.classes(), random);
            samples.add(s);
            rois.add(s.rois());
        }
        NDList out = head.forward(ps, new NDList(poolAll(regions, rois)), true);
        NDArray logits = out.get(0);
        NDArray deltas = out.get(1);
        int total = 0;
        for (SampledRois s : samples) total += s.size();
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
        NDArray fgDeltas = Losses.selectFlat(deltas, java.util.Arrays.copyOf(fgIdx, 4 * fg)).reshape(fg, 4);
        NDArray box = Losses.scale(Losses.smoothL1Sum(fgDeltas, java.util.Arrays.copyOf(fgTargets, 4 * fg), smoothL1Beta),
                boxLossWeight / Math.max(1, total));
        return new NDArray[] {cls, box};
    }

    /**
     * Detections for each image of the batch, in original-image pixels.
     *
     * @param features  (N, C, H, W) shared map
     * @param proposals per image, the RoIs to classify (e.g. the RPN's top 300)
     */
    public List<ImageDetections> detect(ParameterStore ps, NDArray features, List<Proposals> proposals,
            List<TrainingImage> images) {
        return detect(ps, features, proposals, images, StageTimes.none());
    }

    /** As {@link #detect(ParameterStore, NDArray, List, List)}, charging pooling, head and post-processing to {@code times}. */
    public List<ImageDetections> detect(ParameterStore ps, NDArray features, List<Proposals> proposals,
            List<TrainingImage> images, StageTimes times) {
        return detect(ps, RegionFeatures.singleMap(pooler, features, spatialScale), proposals, images, times);
    }

    /**
     * As {@link #detect(ParameterStore, NDArray, List, List, StageTimes)}, with the RoIs pooled by
     * {@code regions} (e.g. from FPN's pyramid levels) instead of this head's pooler.
     */
    public List<ImageDetections> detect(ParameterStore ps, RegionFeatures regions, List<Proposals> proposals,
            List<TrainingImage> images, StageTimes times) {
        List<float[]> rois = new ArrayList<>(images.size());
        for (Proposals p : proposals) rois.add(p.boxes());
        NDArray pooled = poolAll(regions, rois);
        times.lap("region_features");
        return detectPooled(ps, pooled, rois, images, times);
    }

    /**
     * The head and post-processing on RoI features pooled by the caller (from an image pyramid, say):
     * detections for each image, in original-image pixels.
     *
     * @param pooled (ΣR, C, h, w) pooled features, image 0's R_0 RoIs first, then image 1's...
     * @param rois   per image, its R_i RoIs in the frame of {@code images.get(i)} (width, height, scale)
     */
    public List<ImageDetections> detectPooled(ParameterStore ps, NDArray pooled, List<float[]> rois,
            List<TrainingImage> images, StageTimes times) {
        NDList out = head.forward(ps, new NDList(pooled), false);
        float[] probs = out.get(0).softmax(1).toFloatArray();
        float[] deltas = out.get(1).toFloatArray();
        times.lap("head");
        int classes = (int) out.get(0).getShape().get(1);
        List<ImageDetections> result = new ArrayList<>(images.size());
        int offset = 0;
        for (int i = 0; i < images.size(); i++) {
            int r = rois.get(i).length / 4;
            TrainingImage im = images.get(i);
            result.add(postProcessor.postprocessDetections(
                    java.util.Arrays.copyOfRange(probs, offset * classes, (offset + r) * classes),
                    java.util.Arrays.copyOfRange(deltas, offset * 4 * classes, (offset + r) * 4 * classes),
                    rois.get(i), im.width(), im.height(), (float) im.scale(), im.originalWidth(), im.originalHeight()));
            offset += r;
        }
        times.lap("postprocess");
        return result;
    }

    /** Each image's RoIs pooled by {@code regions}, concatenated: (ΣR, C, h, w). */
    private static NDArray poolAll(RegionFeatures regions, List<float[]> rois) {
        NDList pooled = new NDList(rois.size());
        for (int i = 0; i < rois.size(); i++) pooled.add(regions.pool(i, rois.get(i)));
        return pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(pooled, 0);
    }
}
