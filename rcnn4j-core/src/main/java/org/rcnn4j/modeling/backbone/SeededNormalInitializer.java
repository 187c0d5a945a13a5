package org.rcnn4j.modeling.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * Zero-mean Gaussian weights drawn in Java from a {@link SplittableRandom} with an explicit seed,
 * so that initial weights depend on the user's seed only (not on the engine's global random state
 * or on thread counts).
 *
 * <p>{@link #kaiming} gives He et al. 2015 ("Delving deep into rectifiers", §2.2) initialisation,
 * standard deviation {@code sqrt(2 / fanIn)} with {@code fanIn = Cin · k · k}: the variance of the
 * activations is preserved through ReLU layers, which is what lets these backbones train from
 * scratch. {@link #fixed} gives a fixed deviation (e.g. 0.01 for a classifier layer).
 */
public final class SeededNormalInitializer implements Initializer {
    private final long seed;
    private final double std;

    private SeededNormalInitializer(long seed, double std) {
        this.seed = seed;
        this.std = std;
    }

    /** He (Kaiming) normal initialisation, fan-in mode, gain sqrt(2). */
    public static SeededNormalInitializer kaiming(long seed) {
        return new SeededNormalInitializer(seed, Double.NaN);
    }

    /** Normal initialisation with standard deviation {@code std}. */
    public static SeededNormalInitializer fixed(long seed, double std) {
        if (!(std > 0)) throw new IllegalArgumentException("std must be positive, got " + std);
        return new SeededNormalInitializer(seed, std);
    }

    /** The deviation used for a weight of {@code shape} ({@code Cout x Cin x k x k} or {@code out x in}). */
    double stdFor(Shape shape) {
        if (!Double.isNaN(std)) return std;
        if (shape.dimension() < 2) throw new IllegalArgumentException("Kaiming initialisation needs a weight of at least 2 dimensions, got " + shape);
        long fanIn = shape.size() / shape.get(0);
        return Math.sqrt(2.0 / fanIn);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        double sd = stdFor(shape);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) values[i] = (float) (sd * gaussian(rng));
        return manager.create(values, shape).toType(dataType, false);
    }

    /** A standard normal draw (Marsaglia's polar method; StrictMath so every platform draws the same). */
    private static double gaussian(SplittableRandom rng) {
        double u, v, s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    }

    /** A per-parameter seed from a user seed and the parameter's position (SplitMix64 finaliser). */
    public static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
