package org.rcnn4j.config;

/**
 * R-CNN's region warp (Girshick et al. 2014, §2.1 and Appendix A): each proposal, with
 * {@code context} pixels of context at the warped size, warped to a {@code size × size} square.
 * Serialised as {@code warp}.
 *
 * @param size           W, the warped square's side (227 for AlexNet; for the CPU backbones, the
 *                       size they are pre-trained at, so that a warped region is what the network saw)
 * @param context        p, pixels of context on each side at the warped size (16)
 * @param regionsPerPass regions warped and run through the network together at test (bounds memory:
 *                       each is a whole input image)
 */
public record RegionWarpConfig(int size, int context, int regionsPerPass) {
    /** The paper's warp: 227×227 with 16 pixels of context; 256 regions per pass. */
    public static RegionWarpConfig paper() {
        return new RegionWarpConfig(227, 16, 256);
    }

    /**
     * A warp to {@code size} with the paper's context scaled to it (p / W = 16 / 227, rounded) and
     * 256 regions per pass.
     */
    public static RegionWarpConfig scaledTo(int size) {
        return new RegionWarpConfig(size, (int) Math.round(size * 16.0 / 227), 256);
    }

    /** Checks every field; {@code prefix} is this section's path ({@code warp}). */
    public void validate(String prefix) {
        ConfigException.atLeast(size, 1, prefix, "size");
        ConfigException.require(context >= 0 && 2L * context < size, ConfigException.path(prefix, "context"),
                "must be in [0, size/2), got " + context);
        ConfigException.atLeast(regionsPerPass, 1, prefix, "regionsPerPass");
    }
}
