package org.rcnn4j.data.synth;

import java.util.SplittableRandom;

/**
 * Class-independent fills for shapes: stripes at a random angle, a rotated checkerboard, or
 * smooth blotches, each mixing two colours that both contrast with the background on the same
 * side (both brighter or both darker).
 */
final class ShapeTexture {
    private ShapeTexture() {}

    /** A {@code w x h} fill, row-major {@code 0xRRGGBB}. */
    static int[] draw(SplittableRandom rng, int w, int h, double backgroundLuma) {
        // Both colours on the same side of the background, so the silhouette stays one piece.
        boolean brighter = ProceduralBackground.brighterSide(rng, backgroundLuma);
        int a = ProceduralBackground.contrastingColour(rng, backgroundLuma, brighter);
        int b = ProceduralBackground.contrastingColour(rng, backgroundLuma, brighter);
        int kind = rng.nextInt(3);
        double period = 3 + rng.nextDouble() * Math.max(1, Math.max(w, h) / 5.0);
        double angle = rng.nextDouble() * Math.PI;
        double cos = StrictMath.cos(angle), sin = StrictMath.sin(angle);
        int side = Math.max(w, h);
        float[] blotches = kind == 2 ? ValueNoise.field(rng, side, Math.max(3, (int) period)) : null;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x * cos + y * sin) / period;
                double v = (-x * sin + y * cos) / period;
                boolean first;
                if (kind == 0) first = Math.floorMod((long) Math.floor(u), 2L) == 0;
                else if (kind == 1) first = Math.floorMod((long) Math.floor(u) + (long) Math.floor(v), 2L) == 0;
                else first = blotches[y * side + x] > 0;
                out[y * w + x] = first ? a : b;
            }
        }
        return out;
    }
}
