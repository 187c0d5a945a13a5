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
}
