package org.rcnn4j.data.synth;

import java.util.SplittableRandom;

/**
 * Smooth value noise: random values on a coarse lattice, interpolated with a smoothstep so the
 * field has no visible grid creases.
 */
final class ValueNoise {
    private ValueNoise() {}

    /**
     * A {@code size x size} field in [-1, 1], row-major, with lattice spacing {@code cell} pixels
     * (larger cells give broader blobs).
     */
    static float[] field(SplittableRandom rng, int size, int cell) {
        int g = size / cell + 2;
        float[] lattice = new float[g * g];
        for (int i = 0; i < lattice.length; i++) lattice[i] = (float) (2 * rng.nextDouble() - 1);
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            int gy = y / cell;
            float ty = smooth((y % cell + 0.5f) / cell);
            for (int x = 0; x < size; x++) {
                int gx = x / cell;
                float tx = smooth((x % cell + 0.5f) / cell);
                float top = lerp(lattice[gy * g + gx], lattice[gy * g + gx + 1], tx);
                float bottom = lerp(lattice[(gy + 1) * g + gx], lattice[(gy + 1) * g + gx + 1], tx);
                out[y * size + x] = lerp(top, bottom, ty);
            }
        }
        return out;
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
