package org.rcnn4j.detector;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.rcnn4j.config.BoxHeadType;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Dataset;

/**
 * One detector of the family as the command line and {@code model.json} name it: its config type,
 * how to plan a config from data, how to build a model, and what its users may choose (external
 * proposals, training schedules, box heads). Each detector declares its kind beside its
 * composition ({@code FasterRcnn.KIND}, ...); {@link DetectorKinds} registers them.
 */
public final class DetectorKind {
    /** Builds a model of a kind. */
    @FunctionalInterface
    public interface Factory<C extends DetectorConfig> {
        /**
         * A new model; every random draw of its initialisation follows {@code seed}.
         *
         * @param backboneWeights pre-trained backbone weights, or null for a backbone from scratch
         */
        DetectorModel create(C config, long seed, Path backboneWeights);
    }

    /** Approximate joint training (Faster R-CNN §3.2): one network, every loss term each iteration. */
    public static final String JOINT = "joint";
    /** Faster R-CNN's 4-step alternating training (§3.2). */
    public static final String ALTERNATING = "alternating";

    private final String name;
    private final Class<? extends DetectorConfig> configClass;
    private final BiFunction<String, Dataset, ? extends DetectorConfig> planner;
    private final Factory<DetectorConfig> factory;
    private final boolean takesProposals;
    private final List<String> schedules;
    private final List<BoxHeadType> boxHeads;
    private final String boxHeadsReason;
    private final Float baseLr;
    private final Long minIterations;

    private <C extends DetectorConfig> DetectorKind(String name, Class<C> configClass, BiFunction<String, Dataset, C> planner,
            Factory<C> factory, boolean takesProposals, List<String> schedules, List<BoxHeadType> boxHeads, String boxHeadsReason,
            Float baseLr, Long minIterations) {
        this.name = name;
        this.configClass = configClass;
        this.planner = planner;
        this.factory = (config, seed, weights) -> {
            if (!configClass.isInstance(config)) {
                throw new IllegalArgumentException(name + " needs a " + configClass.getSimpleName() + ", got "
                        + config.getClass().getSimpleName());
            }
            return factory.create(configClass.cast(config), seed, weights);
        };
        this.takesProposals = takesProposals;
        this.schedules = List.copyOf(schedules);
        this.boxHeads = List.copyOf(boxHeads);
        this.boxHeadsReason = boxHeadsReason;
        this.baseLr = baseLr;
        this.minIterations = minIterations;
    }

    /**
     * A kind trained jointly, making its own proposals, with an fc head only; refine with the
     * {@code with...} methods.
     *
     * @param planner sound defaults for training a backbone (by name) on a dataset: the paper's rules
     *                with the image scale and anchor sizes planned from the objects' sizes ({@link InputPlan})
     */
    public static <C extends DetectorConfig> DetectorKind of(String name, Class<C> configClass,
            BiFunction<String, Dataset, C> planner, Factory<C> factory) {
        return new DetectorKind(name, configClass, planner, factory, false, List.of(JOINT), List.of(BoxHeadType.FC), null, null, null);
    }

    /** This kind, taking its region proposals from outside ({@link ExternalProposals}). */
    public DetectorKind withExternalProposals() {
        return copy(true, schedules, boxHeads, boxHeadsReason);
    }

    /** This kind, trainable by these schedules (the first is the default). */
    public DetectorKind withSchedules(String... names) {
        return copy(takesProposals, List.of(names), boxHeads, boxHeadsReason);
    }

    /** This kind, with these box heads to choose from (the first is the default). */
    public DetectorKind withBoxHeads(BoxHeadType... heads) {
        return copy(takesProposals, schedules, List.of(heads), null);
    }

    /** This kind, with only these box heads, for the reason given (the paper's, in a few words). */
    public DetectorKind withOnlyBoxHeads(String reason, BoxHeadType... heads) {
        return copy(takesProposals, schedules, List.of(heads), reason);
    }

    /** This kind, trained at base learning rate {@code lr} unless the user gives one. */
    public DetectorKind withBaseLr(float lr) {
        return copy(takesProposals, schedules, boxHeads, boxHeadsReason, lr, minIterations);
    }

    /** This kind, trained for at least {@code n} iterations unless the user gives a number. */
    public DetectorKind withMinIterations(long n) {
        return copy(takesProposals, schedules, boxHeads, boxHeadsReason, baseLr, n);
    }

    private DetectorKind copy(boolean proposals, List<String> s, List<BoxHeadType> heads, String reason) {
        return copy(proposals, s, heads, reason, baseLr, minIterations);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private DetectorKind copy(boolean proposals, List<String> s, List<BoxHeadType> heads, String reason, Float lr, Long min) {
        return new DetectorKind(name, (Class) configClass, (BiFunction) planner, (Factory) factory, proposals, s, heads, reason, lr,
                min);
    }

    /** The fewest iterations the kind trains for unless the user gives a number; null for the solver's rule. */
    public Long minIterations() {
        return minIterations;
    }

    /** The base learning rate the kind trains at unless the user gives one; null for the solver's default. */
    public Float baseLr() {
        return baseLr;
    }

    /** The name on the command line and in {@code model.json} ({@code faster-rcnn}, ...). */
    public String name() {
        return name;
    }

    /**
     * Whether its models take region proposals from outside ({@link ExternalProposals}: R-CNN, SPP-net,
     * Fast R-CNN) rather than making their own.
     */
    public boolean takesProposals() {
        return takesProposals;
    }

    /** The config record stored in {@code model.json}. */
    public Class<? extends DetectorConfig> configClass() {
        return configClass;
    }

    /** The training schedules it supports, the default first ({@link #JOINT}, {@link #ALTERNATING}). */
    public List<String> schedules() {
        return schedules;
    }

    /** The box heads its region stage can have, the default first. */
    public List<BoxHeadType> boxHeads() {
        return boxHeads;
    }

    /** Why the region stage cannot have {@code head}, or null when it can. */
    public String refusesBoxHead(BoxHeadType head) {
        if (boxHeads.contains(head)) return null;
        return boxHeadsReason != null ? boxHeadsReason : "not a head of " + name + " (its heads: " + boxHeads + ")";
    }

    /** Sound defaults for training {@code backbone} on {@code train}. */
    public DetectorConfig plan(String backbone, Dataset train) {
        return planner.apply(backbone, train);
    }

    /**
     * A new model; every random draw of its initialisation follows {@code seed}.
     *
     * @param backboneWeights pre-trained backbone weights, or null for a backbone from scratch
     * @throws IllegalArgumentException when {@code config} is not of {@link #configClass()}
     */
    public DetectorModel create(DetectorConfig config, long seed, Path backboneWeights) {
        return factory.create(Objects.requireNonNull(config, "config"), seed, backboneWeights);
    }

    @Override
    public String toString() {
        return name;
    }
}
