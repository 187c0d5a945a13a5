package org.rcnn4j.io;

/**
 * IEEE 754 binary16 ("half") conversion for Java 17, which lacks {@code Float.floatToFloat16}.
 * A half has 1 sign bit, 5 exponent bits (bias 15) and 10 mantissa bits: normals span
 * 2<sup>−14</sup> (6.1035156e-5) to 65504 with a relative rounding error of at most 2<sup>−11</sup>;
 * subnormals reach down to 2<sup>−24</sup> (5.96e-8) in steps of 2<sup>−24</sup>.
 *
 * <p>{@link #toHalf} rounds to nearest, ties to even, like the hardware conversions, so that a file
 * written here reads the same in numpy ({@code float16}) or PyTorch ({@code torch.half});
 * {@link #toFloat} reads PyTorch's half tensors ({@code org.rcnn4j.io.torch}) and the feature cache.
 */
public final class Float16 {
    private Float16() {}

    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    /**
     * The half nearest {@code f} (ties to even), as its 16 bits. Magnitudes of 65520 and above become
     * infinity (65520 is the tie between 65504 and 2<sup>16</sup>, whose mantissa is even), below
     * 2<sup>−25</sup> zero (keeping the sign); NaN stays NaN, its top payload bits kept and the quiet
     * bit set.
     */
    public static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) return (short) (sign | 0x7c00);
            return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
        }
        if (abs >= 0x477ff000) return (short) (sign | 0x7c00);
        int e = (abs >>> 23) - 127;
        if (e >= -14) {
            int mant = abs & 0x7fffff;
            int h = ((e + 15) << 10) | (mant >>> 13);
            int rest = mant & 0x1fff;
            // A carry out of the mantissa lands in the exponent, which is the correct next half.
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) h++;
            return (short) (sign | h);
        }
        if (e < -25) return (short) sign;
        // Subnormal half: m·2^-24 with m = significand·2^(e+1); shift is 14..24.
        int sig = (abs & 0x7fffff) | 0x800000;
        int shift = -(e + 1);
        int m = sig >>> shift;
        int rest = sig & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        // m reaching 0x400 is the smallest normal's bit pattern, so no special case.
        if (rest > halfway || (rest == halfway && (m & 1) != 0)) m++;
        return (short) (sign | m);
    }

    /** The float of a half's 16 bits; exact, since every half is a float. */
    public static float toFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
