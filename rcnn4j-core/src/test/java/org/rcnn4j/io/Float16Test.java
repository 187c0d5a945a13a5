package org.rcnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Float16#toFloat} against the binary16 definition, (-1)^s · 2^(e-15) · (1 + m/1024), or
 * m · 2^-24 for subnormals. The rounding of {@link Float16#toHalf} is tested with the feature cache
 * that writes it ({@code FeatureCacheTest}).
 */
class Float16Test {
    @Test
    void toFloatMatchesTheDefinitionForEveryBitPattern() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int exponent = (bits >> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double magnitude = exponent == 0x1f ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15);
            float expected = (float) ((bits & 0x8000) != 0 ? -magnitude : magnitude);
            float got = Float16.toFloat((short) bits);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), Integer.toHexString(bits));
            }
        }
    }
}
