package org.rcnn4j.modeling.backbone;

import java.util.List;

/**
 * Builds backbones by name. Sizes for a 2-core CPU: {@code tiny} (tests), {@code zf},
 * {@code resnet18-w0.25}, {@code resnet18-w0.5}; at their real sizes, for GPUs or imported
 * weights: {@code resnet18}, {@code resnet50}, {@code vgg16}; {@code resnet50-frozen-bn} is
 * torchvision's ResNet-50 with its frozen BatchNorm folded into the convolutions (for imported
 * weights). All put their stride-16 output at stage {@code C4} and provide C2-C5.
 */
public final class Backbones {
    /** Every name {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of("tiny", "zf", "resnet18", "resnet18-w0.5", "resnet18-w0.25", "resnet50", "resnet50-frozen-bn", "vgg16");

    private Backbones() {}

    /**
     * A new, uninitialised backbone; call {@link Backbone#initialize(ai.djl.ndarray.NDManager, long)}
     * or {@link Backbone#load} before use.
     *
     * @throws IllegalArgumentException listing the valid names when {@code name} is not one of {@link #NAMES}
     */
    public static Backbone create(String name) {
        switch (name == null ? "" : name) {
            case "tiny":
                return PlainNets.tiny();
            case "zf":
                return PlainNets.zf();
            case "vgg16":
                return PlainNets.vgg16();
            case "resnet18":
                return ResNets.resnet18(name, 1.0);
            case "resnet18-w0.5":
                return ResNets.resnet18(name, 0.5);
            case "resnet18-w0.25":
                return ResNets.resnet18(name, 0.25);
            case "resnet50":
                return ResNets.resnet50(name, true);
            case "resnet50-frozen-bn":
                return ResNets.resnet50(name, false);
            default:
                throw new IllegalArgumentException("unknown backbone '" + name + "'; valid names: " + String.join(", ", NAMES));
        }
    }
}
