package org.rcnn4j.detector;

/**
 * What every detector's config record has in common: the backbone, the classes and the input
 * scale. Each detector keeps its paper's defaults in its own record ({@link FasterRcnnConfig}, ...),
 * serialised as {@code config} in {@code model.json}.
 */
public interface DetectorConfig {
    /** Backbone name ({@code org.rcnn4j.modeling.backbone.Backbones}). */
    String backbone();

    /** K, object classes (background excluded). */
    int numClasses();

    /** The single-scale input size (shorter side and cap on the longer side). */
    FasterRcnnConfig.Input input();

    /** The same config for {@code k} classes. */
    DetectorConfig withNumClasses(int k);
}
