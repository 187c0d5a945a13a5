package org.rcnn4j.data.synth;

import java.util.SplittableRandom;

/**
 * Random streams and draws shared by the generators.
 *
 * <p>Each image gets its own stream, seeded from {@code (seed, split, index)} through a 64-bit
 * mixing function, so images can be made in any order on any number of threads and still come
 * out the same. Transcendental functions use {@link StrictMath} so the draws do not depend on
 * the platform's intrinsics.
 */
final class SynthRandom {
    private SynthRandom() {}

    /** The random stream of image {@code index} (0-based) of {@code spec}'s split. */
    static SplittableRandom forImage(SynthSpec spec, int index) {
        long h = mix(spec.seed() ^ 0x5DEECE66DL);
        h = mix(h + 0x9E3779B97F4A7C15L * (spec.splitIndex() + 1));
        h = mix(h ^ (0xC2B2AE3D27D4EB4FL * (index + 1L)));
        return new SplittableRandom(h);
    }

    /** A draw from {@code [lo, hi]} whose logarithm is uniform: as many small objects per octave as large. */
    static double logUniform(SplittableRandom rng, double lo, double hi) {
        if (hi <= lo) return lo;
        return StrictMath.exp(StrictMath.log(lo) + rng.nextDouble() * (StrictMath.log(hi) - StrictMath.log(lo)));
    }

    /** Stafford's "mix13" finaliser: every input bit flips about half the output bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
