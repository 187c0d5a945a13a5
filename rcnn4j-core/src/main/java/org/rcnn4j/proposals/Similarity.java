package org.rcnn4j.proposals;

/**
 * A selective search similarity strategy: the sum of some of the four complementary measures of
 * Uijlings et al. 2013, §3.2 (eq. 1–5), each in [0, 1]:
 *
 * <ul>
 *   <li>colour: histogram intersection of the colour histograms, {@code Σ min(c_i, c_j)};</li>
 *   <li>texture: histogram intersection of the texture histograms;</li>
 *   <li>size: {@code 1 - (size(r_i) + size(r_j)) / size(im)}, which makes small regions merge early;</li>
 *   <li>fill: {@code 1 - (size(BB_ij) - size(r_i) - size(r_j)) / size(im)}, high when the two
 *       regions fill each other's gaps (BB_ij is the box around both).</li>
 * </ul>
 *
 * @param colour  include colour similarity
 * @param texture include texture similarity
 * @param size    include size similarity
 * @param fill    include fill similarity
 */
public record Similarity(boolean colour, boolean texture, boolean size, boolean fill) {
    /** Colour + texture + size + fill ("C+T+S+F"), the strategy of every Uijlings et al. mode. */
    public static final Similarity CTSF = new Similarity(true, true, true, true);
    /** Texture + size + fill ("T+S+F"), the second strategy of fast and quality mode. */
    public static final Similarity TSF = new Similarity(false, true, true, true);
    /** Fill alone ("F"), in quality mode. */
    public static final Similarity F = new Similarity(false, false, false, true);
    /** Size alone ("S"), in quality mode. */
    public static final Similarity S = new Similarity(false, false, true, false);

    /** Checks that at least one measure is on. */
    public Similarity {
        if (!colour && !texture && !size && !fill) throw new IllegalArgumentException("a similarity needs at least one measure");
    }

    /** The similarity of regions {@code a} and {@code b}: the sum of the chosen measures, in [0, 4]. */
    public double between(RegionDescriptors f, int a, int b) {
        double s = 0;
        if (colour) s += colour(f, a, b);
        if (texture) s += texture(f, a, b);
        if (size) s += size(f, a, b);
        if (fill) s += fill(f, a, b);
        return s;
    }

    /** Colour similarity (eq. 1): intersection of the colour histograms. */
    public static double colour(RegionDescriptors f, int a, int b) {
        return f.colourIntersection(a, b);
    }

    /** Texture similarity (eq. 2): intersection of the texture histograms. */
    public static double texture(RegionDescriptors f, int a, int b) {
        return f.textureIntersection(a, b);
    }

    /** Size similarity (eq. 3). */
    public static double size(RegionDescriptors f, int a, int b) {
        return 1.0 - (double) (f.size(a) + f.size(b)) / f.imageArea();
    }

    /** Fill similarity (eq. 4). */
    public static double fill(RegionDescriptors f, int a, int b) {
        return 1.0 - (double) (f.joinedBoxArea(a, b) - f.size(a) - f.size(b)) / f.imageArea();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (colour) s.append("C+");
        if (texture) s.append("T+");
        if (size) s.append("S+");
        if (fill) s.append("F+");
        return s.substring(0, s.length() - 1);
    }
}
