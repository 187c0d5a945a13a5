package org.rcnn4j.proposals;

/**
 * Per-pixel histogram bins of one colour-space image, from which {@link RegionDescriptors} counts the
 * colour and texture histograms of any set of regions (Uijlings et al. 2013, §3.2).
 *
 * <ul>
 *   <li>Colour: 25 bins per channel over [0, 256), so C·25 bins (75 for three channels).</li>
 *   <li>Texture: Gaussian derivatives with σ = 1 in 8 orientations per channel, and per orientation
 *       10 bins of the response, so C·80 bins (240 for three channels). The 8 orientations are the
 *       signed responses along 0°, 45°, 90° and 135°, steered from the x and y derivatives
 *       ({@code D_θ = cos θ · Dx + sin θ · Dy}): a positive response votes in orientation θ, a
 *       negative one in θ + 180°. Each (channel, direction) response is binned linearly from 0 to
 *       its largest magnitude in the image, so each pixel casts four texture votes per channel.</li>
 * </ul>
 */
public final class ImageFeatures {
    /** Colour histogram bins per channel (Uijlings et al. §3.2). */
    public static final int COLOUR_BINS = 25;
    /** Texture histogram bins per orientation and channel (Uijlings et al. §3.2). */
    public static final int TEXTURE_BINS = 10;
    /** Gaussian derivative orientations per channel (Uijlings et al. §3.2). */
    public static final int ORIENTATIONS = 8;
    /** Scale of the Gaussian derivatives (Uijlings et al. §3.2). */
    public static final float TEXTURE_SIGMA = 1f;

    private static final int DIRECTIONS = ORIENTATIONS / 2;
    /**
     * Responses smaller than this (in grey levels per pixel) are float rounding of a flat patch, and
     * count as zero: otherwise their random signs and the image-wide scale of a flat image would scatter a
     * flat region's votes over the bins.
     */
    private static final float FLAT = 1e-3f;

    private final int width;
    private final int height;
    private final int channels;
    /** Per pixel, per channel: the colour bin in 0..C·25-1 (row p·C + c). */
    private final short[] colourBins;
    /** Per pixel, per channel and direction: the texture bin in 0..C·80-1 (row p·4C + 4c + d). */
    private final short[] textureBins;

    /**
     * Computes the bins of an image in one colour space.
     *
     * @param planes C planes of W·H values in [0, 255] (from {@link ColourSpace#convert})
     */
    public ImageFeatures(float[][] planes, int width, int height) {
        this.width = width;
        this.height = height;
        this.channels = planes.length;
        int n = width * height;
        colourBins = new short[n * channels];
        textureBins = new short[n * channels * DIRECTIONS];
        float[] g = Filters.gaussian(TEXTURE_SIGMA, 3);
        float[] dg = Filters.gaussianDerivative(TEXTURE_SIGMA, 3);
        for (int c = 0; c < channels; c++) {
            float[] plane = planes[c];
            for (int p = 0; p < n; p++) {
                int bin = (int) (plane[p] * COLOUR_BINS / 256f);
                colourBins[p * channels + c] = (short) (c * COLOUR_BINS + Math.max(0, Math.min(COLOUR_BINS - 1, bin)));
            }
            float[] dx = Filters.separable(plane, width, height, dg, g);
            float[] dy = Filters.separable(plane, width, height, g, dg);
            for (int d = 0; d < DIRECTIONS; d++) {
                double angle = Math.PI * d / DIRECTIONS;
                binTexture(dx, dy, (float) Math.cos(angle), (float) Math.sin(angle), c, d);
            }
        }
    }

    /** Bins the response along one direction of channel {@code c}. */
    private void binTexture(float[] dx, float[] dy, float cos, float sin, int c, int d) {
        int n = width * height;
        float max = 0;
        for (int p = 0; p < n; p++) max = Math.max(max, Math.abs(cos * dx[p] + sin * dy[p]));
        float scale = max > FLAT ? TEXTURE_BINS / max : 0;
        int stride = channels * DIRECTIONS;
        int positive = (c * ORIENTATIONS + d) * TEXTURE_BINS;
        int negative = (c * ORIENTATIONS + d + DIRECTIONS) * TEXTURE_BINS;
        for (int p = 0; p < n; p++) {
            float v = cos * dx[p] + sin * dy[p];
            if (Math.abs(v) < FLAT) v = 0;
            int bin = Math.min(TEXTURE_BINS - 1, (int) (Math.abs(v) * scale));
            textureBins[p * stride + c * DIRECTIONS + d] = (short) ((v >= 0 ? positive : negative) + bin);
        }
    }

    /** Image width, pixels. */
    public int width() {
        return width;
    }

    /** Image height, pixels. */
    public int height() {
        return height;
    }

    /** Number of channels C. */
    public int channels() {
        return channels;
    }

    /** Length of a colour histogram: C·25. */
    public int colourLength() {
        return channels * COLOUR_BINS;
    }

    /** Length of a texture histogram: C·8·10. */
    public int textureLength() {
        return channels * ORIENTATIONS * TEXTURE_BINS;
    }

    /** The C colour bins of each pixel, W·H·C values, row {@code p·C + c}; shared, do not modify. */
    short[] colourBins() {
        return colourBins;
    }

    /** The 4C texture bins of each pixel, W·H·4C values, row {@code p·4C + 4c + d}; shared, do not modify. */
    short[] textureBins() {
        return textureBins;
    }
}
