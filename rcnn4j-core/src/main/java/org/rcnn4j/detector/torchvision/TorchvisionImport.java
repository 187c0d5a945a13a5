package org.rcnn4j.detector.torchvision;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rcnn4j.data.Category;
import org.rcnn4j.detector.Fpn;
import org.rcnn4j.detector.FpnConfig;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.StateDict;
import org.rcnn4j.io.torch.TorchTensor;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.Backbones;

/**
 * torchvision's weights as rcnn4j models: {@code fasterrcnn_resnet50_fpn} (v1) as an {@link Fpn}
 * whose config is {@link FpnConfig#torchvision}, and {@code resnet50}'s ImageNet weights as the
 * {@code resnet50-frozen-bn} backbone, for {@code train --backbone-weights}. The state dict comes
 * from {@link StateDict#read} (torch.save or safetensors, no Python).
 *
 * <p>Keys follow torchvision 0.14 and earlier alike: the FPN's {@code inner_blocks.k.weight} (before
 * torchvision 0.13) or {@code inner_blocks.k.0.weight}, the RPN head's {@code conv.weight} or
 * {@code conv.0.0.weight}. The number of classes is read from {@code cls_score}: 91 for COCO.
 */
public final class TorchvisionImport {
    /** The architectures {@code import --arch} accepts. */
    public static final List<String> ARCHITECTURES = List.of("fasterrcnn_resnet50_fpn", "resnet50");

    /**
     * The frozen BatchNorm ε of torchvision's COCO-trained {@code fasterrcnn_resnet50_fpn} weights:
     * torchvision sets it to 0 after loading them ({@code overwrite_eps}), as the model they were
     * trained as had none.
     */
    public static final float COCO_V1_BN_EPS = 0f;

    /** The ε of every other torchvision BatchNorm (ImageNet ResNet-50 included). */
    public static final float DEFAULT_BN_EPS = 1e-5f;

    /** ResNet-50's blocks per stage (layer1..layer4). */
    private static final int[] DEPTH = {3, 4, 6, 3};

    /**
     * torchvision's COCO labels, index = label = COCO category id; "N/A" fills the ids COCO skips
     * (12, 26, 29, 30, 45, 66, 68, 69, 71, 83). Index 0 is the background.
     */
    private static final String[] COCO_NAMES = {"__background__", "person", "bicycle", "car", "motorcycle", "airplane",
        "bus", "train", "truck", "boat", "traffic light", "fire hydrant", "N/A", "stop sign", "parking meter", "bench", "bird",
        "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "N/A", "backpack", "umbrella", "N/A",
        "N/A", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat",
        "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle", "N/A", "wine glass", "cup", "fork", "knife",
        "spoon", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake",
        "chair", "couch", "potted plant", "bed", "N/A", "dining table", "N/A", "N/A", "toilet", "N/A", "tv", "laptop", "mouse",
        "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "N/A", "book", "clock",
        "vase", "scissors", "teddy bear", "hair drier", "toothbrush"};

    private TorchvisionImport() {}

    /** The 90 COCO classes of torchvision's detection models, ids 1..90, in class-index order. */
    public static List<Category> cocoCategories() {
        List<Category> out = new ArrayList<>();
        for (int i = 1; i < COCO_NAMES.length; i++) out.add(new Category(i, COCO_NAMES[i]));
        return out;
    }

    /**
     * The object classes K of a {@code fasterrcnn_resnet50_fpn} state dict: {@code cls_score}'s rows
     * less the background.
     */
    public static int numClasses(StateDict dict) {
        TorchTensor scores = dict.get("roi_heads.box_predictor.cls_score.weight");
        if (scores.rank() != 2 || scores.shape()[0] < 2) {
            throw new BadInputException(dict.file(), "roi_heads.box_predictor.cls_score.weight",
                    "expected (K + 1) x 1024 class scores, got shape " + java.util.Arrays.toString(scores.shape()));
        }
        return (int) scores.shape()[0] - 1;
    }

    /**
     * A {@code fasterrcnn_resnet50_fpn} state dict as an FPN detector (the caller closes it).
     *
     * @param bnEps the frozen BatchNorm's ε ({@link #COCO_V1_BN_EPS} for torchvision's COCO weights)
     * @throws BadInputException naming the key when the file is not that architecture
     */
    public static Fpn fasterRcnnResnet50Fpn(StateDict dict, float bnEps) {
        Fpn model = Fpn.create(FpnConfig.torchvision(numClasses(dict)), 0L);
        try {
            TorchvisionWeights w = new TorchvisionWeights(dict, bnEps);
            w.load(model.blocks().get("backbone"), resnet50Table("backbone.body."));
            w.load(model.blocks().get("fpn"), pyramidTable(dict));
            w.load(model.blocks().get("rpn_head"), rpnHeadTable(dict));
            w.load(model.blocks().get("box_head"), new TorchvisionWeights.Table()
                    .layer("01fc6", "roi_heads.box_head.fc6").layer("02fc7", "roi_heads.box_head.fc7")
                    .layer("03cls_score", "roi_heads.box_predictor.cls_score")
                    .layer("04bbox_pred", "roi_heads.box_predictor.bbox_pred"));
            requireAllUsed(dict, w.unused(), "fasterrcnn_resnet50_fpn");
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * torchvision's ImageNet {@code resnet50} state dict as the {@code resnet50-frozen-bn} backbone,
     * created in {@code manager}; the classifier ({@code fc.*}) is dropped.
     */
    public static Backbone resnet50(StateDict dict, float bnEps, NDManager manager) {
        Backbone backbone = Backbones.create("resnet50-frozen-bn");
        backbone.initialize(manager, 0L);
        TorchvisionWeights w = new TorchvisionWeights(dict, bnEps);
        w.load(backbone, resnet50Table(""));
        Set<String> unused = w.unused();
        unused.removeIf(k -> k.startsWith("fc."));
        requireAllUsed(dict, unused, "resnet50");
        return backbone;
    }

    /** ResNet-50's convolutions and their BatchNorms under {@code prefix} ({@code backbone.body.} in a detector). */
    static TorchvisionWeights.Table resnet50Table(String prefix) {
        TorchvisionWeights.Table t = new TorchvisionWeights.Table()
                .convBn("01stem_01ConvUnit_01conv", prefix + "conv1", prefix + "bn1");
        for (int s = 0; s < DEPTH.length; s++) {
            for (int b = 0; b < DEPTH[s]; b++) {
                String ours = String.format("%02dC%d_%02dResidualBlock_", s + 2, s + 2, b + 1);
                String theirs = prefix + "layer" + (s + 1) + "." + b + ".";
                for (int i = 1; i <= 3; i++) {
                    t.convBn(ours + "0" + i + "conv" + i + "_01conv", theirs + "conv" + i, theirs + "bn" + i);
                }
                if (b == 0) t.convBn(ours + "04shortcut_01conv", theirs + "downsample.0", theirs + "downsample.1");
            }
        }
        return t;
    }

    /** The FPN's lateral (inner) and output (layer) convolutions for C2..C5. */
    private static TorchvisionWeights.Table pyramidTable(StateDict dict) {
        TorchvisionWeights.Table t = new TorchvisionWeights.Table();
        for (int k = 0; k < 4; k++) {
            t.layer(String.format("%02dlateral%d", 2 * k + 1, k + 2), either(dict, "backbone.fpn.inner_blocks." + k, ".0"));
            t.layer(String.format("%02doutput%d", 2 * k + 2, k + 2), either(dict, "backbone.fpn.layer_blocks." + k, ".0"));
        }
        return t;
    }

    private static TorchvisionWeights.Table rpnHeadTable(StateDict dict) {
        return new TorchvisionWeights.Table()
                .layer("01conv", either(dict, "rpn.head.conv", ".0.0"))
                .layer("02cls_logits", "rpn.head.cls_logits")
                .layer("03bbox_pred", "rpn.head.bbox_pred");
    }

    /** {@code key}, or {@code key + newer} where the file uses torchvision's newer module nesting. */
    private static String either(StateDict dict, String key, String newer) {
        return dict.contains(key + newer + ".weight") ? key + newer : key;
    }

    private static void requireAllUsed(StateDict dict, Set<String> unused, String arch) {
        if (!unused.isEmpty()) {
            throw new BadInputException(dict.file(), unused.iterator().next(), "not part of torchvision's " + arch + " ("
                    + unused.size() + " such tensors); is this file another architecture?");
        }
    }
}
