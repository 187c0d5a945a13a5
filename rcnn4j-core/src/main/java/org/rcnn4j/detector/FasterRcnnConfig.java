package org.rcnn4j.detector;

import java.util.Arrays;
import org.rcnn4j.config.AnchorConfig;
import org.rcnn4j.config.ConfigException;
import org.rcnn4j.config.InputConfig;
import org.rcnn4j.config.PoolerType;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.config.RoiHeadConfig;
import org.rcnn4j.config.RpnConfig;
import org.rcnn4j.config.TestConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.modeling.backbone.Backbones;

/**
 * Everything that defines a Faster R-CNN model (not how it is trained: see
 * {@code org.rcnn4j.training.TrainingConfig}), with the paper's values in {@link #paper}.
 * Serialised as {@code config} in {@code model.json}.
 *
 * @param backbone   backbone name ({@code org.rcnn4j.modeling.backbone.Backbones})
 * @param numClasses K, object classes (background excluded)
 * @param input      image scaling
 * @param anchors    anchor boxes of the RPN
 * @param rpn        RPN training and proposal rules
 * @param roi        RoI sampling, pooling and the head's size
 * @param test       post-processing
 */
public record FasterRcnnConfig(String backbone, int numClasses, InputConfig input, AnchorConfig anchors, RpnConfig rpn,
        RoiConfig roi, TestConfig test) implements RoiHeadConfig {

    /**
     * The paper's Faster R-CNN (VGG16 / ZF on PASCAL VOC, py-faster-rcnn's end-to-end defaults):
     * s = 600, anchors 128²..512² × 3 ratios, the RPN of §3.1–3.3, 128 RoIs per image with
     * background from IoU 0 (py-faster-rcnn's {@code BG_THRESH_LO = 0}), test NMS 0.3.
     */
    public static FasterRcnnConfig paper(String backbone, int numClasses) {
        return new FasterRcnnConfig(backbone, numClasses, InputConfig.single(600), AnchorConfig.paper(),
                RpnConfig.fasterRcnn(), RoiConfig.fastRcnn().withSampling(128, 0f), TestConfig.withNms(0.3f));
    }

    /**
     * The paper's rules scaled to small images and CPU backbones: anchors and sizes follow the
     * objects' sizes in pixels (the paper's anchors cover 128²..512² because VOC objects at s = 600
     * are that large), fc layers of 512, fewer proposals (an image of 300 pixels has far fewer
     * distinct objects than 2000 proposals in training; the paper's 300 at test), and RoIAlign: a
     * small object covers one or two cells of a stride-16 map, and RoI max pooling's rounding to
     * whole cells then loses most of its position. NMS 0.5 at test (torchvision's): small scenes
     * put same-class objects close together.
     *
     * @param shortSide   image shorter side in pixels
     * @param anchorSizes anchor sides in pixels
     */
    public static FasterRcnnConfig small(String backbone, int numClasses, int shortSide, float[] anchorSizes) {
        FasterRcnnConfig p = paper(backbone, numClasses);
        return new FasterRcnnConfig(backbone, numClasses, InputConfig.single(shortSide), AnchorConfig.of(anchorSizes),
                p.rpn().withProposals(2000, 500, 2000, 300).withMinSize(0f),
                p.roi().withPooler(PoolerType.ROI_ALIGN).withFc(512, 512), TestConfig.withNms(0.5f));
    }

    /**
     * What {@code train} plans for Faster R-CNN on {@code train}: {@link #small} at the scale and
     * anchors of {@link InputPlan}, trained with scale jitter about that scale
     * ({@link InputConfig#withScaleJitter}: 352, 416 or 480 pixels for s = 416). On 200
     * {@code shapes} images of three data seeds the jitter raised val voc07 from 0.863, 0.851 and 0.839
     * to 0.868, 0.869 and 0.856 at about the same training time (bench/results/small_data_defaults.md).
     */
    public static FasterRcnnConfig planned(String backbone, Dataset train) {
        InputPlan plan = InputPlan.of(train);
        FasterRcnnConfig c = small(backbone, train.numClasses(), plan.shortSide(), plan.anchorSizes());
        return c.withInput(c.input().withScaleJitter());
    }

    @Override
    public int testProposals() {
        return rpn.postNmsTest();
    }

    @Override
    public FasterRcnnConfig withTestProposals(int n) {
        return new FasterRcnnConfig(backbone, numClasses, input, anchors, rpn.withTestTopN(n), roi, test);
    }

    @Override
    public FasterRcnnConfig withNumClasses(int k) {
        return new FasterRcnnConfig(backbone, k, input, anchors, rpn, roi, test);
    }

    @Override
    public FasterRcnnConfig withInput(InputConfig in) {
        return new FasterRcnnConfig(backbone, numClasses, in, anchors, rpn, roi, test);
    }

    @Override
    public FasterRcnnConfig withRoi(RoiConfig r) {
        return new FasterRcnnConfig(backbone, numClasses, input, anchors, rpn, r, test);
    }

    @Override
    public FasterRcnnConfig withTest(TestConfig t) {
        return new FasterRcnnConfig(backbone, numClasses, input, anchors, rpn, roi, t);
    }

    /** The backbone's output channels. */
    @Override
    public int pooledChannels() {
        return DetectorParts.outputChannels(backbone);
    }

    @Override
    public void validate() {
        DetectorParts.validateCommon(this);
        ConfigException.present(anchors, "anchors").validate("anchors");
        ConfigException.present(rpn, "rpn").validate("rpn");
        RoiHeadConfig.validateRegionStage(this);
    }

    @Override
    public String summary() {
        return "s = " + input.shortSide() + ", anchors " + Arrays.toString(anchors.sizes());
    }
}
