package org.rcnn4j.detector;

import java.nio.file.Path;
import org.rcnn4j.data.Dataset;

/**
 * One detector of the family as the command line and {@code model.json} name it: how to plan its
 * config from data and how to build it. Registered in {@link DetectorKinds}.
 */
public interface DetectorKind {
    /** The name on the command line and in {@code model.json} ({@code faster-rcnn}, ...). */
    String name();

    /**
     * Whether its models take region proposals from outside ({@link ExternalProposals}: R-CNN, SPP-net,
     * Fast R-CNN) rather than making their own.
     */
    default boolean takesProposals() {
        return false;
    }

    /** The config record stored in {@code model.json}. */
    Class<? extends DetectorConfig> configClass();

    /**
     * Sound defaults for training {@code backbone} on {@code train}: the paper's rules with the image
     * scale and anchor sizes planned from the objects' sizes ({@link InputPlan}).
     */
    DetectorConfig plan(String backbone, Dataset train);

    /**
     * A new model; every random draw of its initialisation follows {@code seed}.
     *
     * @param backboneWeights pre-trained backbone weights, or null for a backbone from scratch
     * @throws IllegalArgumentException when {@code config} is not of {@link #configClass()}
     */
    DetectorModel create(DetectorConfig config, long seed, Path backboneWeights);
}
