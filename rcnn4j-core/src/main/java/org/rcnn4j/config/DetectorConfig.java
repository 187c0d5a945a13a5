package org.rcnn4j.config;

/**
 * What every detector's config record has in common: the backbone, the classes, the input scale,
 * and the generic stages' settings. Each detector keeps its paper's defaults in its own record
 * ({@code FasterRcnnConfig}, ...) built from the shared sections of this package, serialised as
 * {@code config} in {@code model.json}.
 */
public interface DetectorConfig {
    /** Backbone name ({@code org.rcnn4j.modeling.backbone.Backbones}). */
    String backbone();

    /** K, object classes (background excluded). */
    int numClasses();

    /** The single-scale input size (shorter side and cap on the longer side). */
    InputConfig input();

    /** The same config with another input section (scales, training augmentation). */
    DetectorConfig withInput(InputConfig input);

    /** The same config for {@code k} classes. */
    DetectorConfig withNumClasses(int k);

    /**
     * Region proposals the model's own proposal stage (an RPN) keeps per image at test time, or 0
     * for a detector that takes its proposals from outside (Fast R-CNN).
     */
    default int testProposals() {
        return 0;
    }

    /**
     * The same config keeping {@code n} proposals per image at test time; unchanged for a detector
     * without its own proposal stage. Only test-time behaviour changes, so trained weights still fit.
     */
    default DetectorConfig withTestProposals(int n) {
        return this;
    }

    /**
     * Backbone stages, from the first, left untrained (Fast R-CNN §4.5: conv1 for the smaller
     * networks); 0 trains them all.
     */
    default int frozenStages() {
        return 0;
    }

    /** The test-time image pyramid; single scale at {@code input.shortSide} unless the config has one. */
    default ImagePyramid testPyramid() {
        return ImagePyramid.single(input().shortSide());
    }

    /**
     * Checks every field.
     *
     * @throws ConfigException naming the first field out of range by its JSON path
     */
    void validate();

    /** What the training log says of the planned scale and anchors, e.g. {@code s = 416, anchors [16.0, 32.0]}. */
    default String summary() {
        return "s = " + input().shortSide();
    }

    /** Checks the fields every detector has. */
    static void validateCommon(DetectorConfig c) {
        ConfigException.require(c.backbone() != null && !c.backbone().isEmpty(), "backbone", "missing");
        ConfigException.atLeast(c.numClasses(), 1, null, "numClasses");
        ConfigException.present(c.input(), "input").validate("input");
    }
}
