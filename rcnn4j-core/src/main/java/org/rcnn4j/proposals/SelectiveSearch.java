package org.rcnn4j.proposals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.preprocess.RgbImage;

/**
 * Selective search (Uijlings et al., "Selective Search for Object Recognition", IJCV 2013): class-
 * independent region proposals from hierarchical grouping of a graph-based over-segmentation,
 * diversified over colour spaces, segmentation scales k and similarity strategies. R-CNN (§2.1)
 * and SPP-net use its fast mode, about 2000 boxes per image.
 *
 * <p>Ranking (§4.1 "ranking"): within each hierarchy a region gets its position, 1 for the last
 * merge (the whole image), 2 for the one before, up to 2n - 1 for the first initial region, times a
 * random number in [0, 1); all hierarchies' regions are sorted by that value, ascending, duplicate
 * boxes keep their best place, and the first {@code max} are kept. The random numbers come from a
 * stream seeded by (seed, image id), so proposals do not depend on which thread ran the image.
 *
 * <p>Thread-safe: an instance holds only its settings.
 */
public final class SelectiveSearch {
    /**
     * Image area, pixels, for which the minimum segment size equals k as in Uijlings et al.'s released
     * demo: a typical PASCAL VOC image (500 × 375), the data their settings were chosen on.
     */
    static final double REFERENCE_AREA = 500 * 375;
    /** Index bits in a sort key; the rest hold the ranking value's leading bits. */
    private static final int INDEX_BITS = 24;

    /** Diversification settings (Uijlings et al. §5.2, Table 5). */
    public enum Mode {
        /** "Selective Search Fast", as in R-CNN: HSV and Lab; k = 50, 100; C+T+S+F and T+S+F (8 hierarchies). */
        FAST(List.of(ColourSpace.HSV, ColourSpace.LAB), new float[] {50, 100}, List.of(Similarity.CTSF, Similarity.TSF)),
        /** "Selective Search Quality": HSV, Lab, rgI, H, I; k = 50, 100, 150, 300; C+T+S+F, T+S+F, F, S (80 hierarchies). */
        QUALITY(List.of(ColourSpace.HSV, ColourSpace.LAB, ColourSpace.RGI, ColourSpace.HUE, ColourSpace.INTENSITY),
                new float[] {50, 100, 150, 300}, List.of(Similarity.CTSF, Similarity.TSF, Similarity.F, Similarity.S));

        private final List<ColourSpace> colourSpaces;
        private final float[] ks;
        private final List<Similarity> strategies;

        Mode(List<ColourSpace> colourSpaces, float[] ks, List<Similarity> strategies) {
            this.colourSpaces = colourSpaces;
            this.ks = ks;
            this.strategies = strategies;
        }

        /** The colour spaces, in the order they are processed. */
        public List<ColourSpace> colourSpaces() {
            return colourSpaces;
        }

        /** The segmentation scales k, in the order they are processed. */
        public float[] ks() {
            return ks.clone();
        }

        /** The similarity strategies, in the order they are processed. */
        public List<Similarity> strategies() {
            return strategies;
        }
    }

    private final Mode mode;
    private final int max;
    private final long seed;

    /**
     * @param mode diversification
     * @param max  proposals kept per image, at least 1 (R-CNN: 2000)
     * @param seed seed of the ranking's random numbers
     */
    public SelectiveSearch(Mode mode, int max, long seed) {
        if (max < 1) throw new IllegalArgumentException("max must be positive, got " + max);
        this.mode = mode;
        this.max = max;
        this.seed = seed;
    }

    /**
     * Proposes regions for one image.
     *
     * @param image   the image
     * @param imageId seeds the ranking's random numbers together with the seed
     * @return at most {@code max} distinct boxes {@code x1 y1 x2 y2} in the image's pixels (whole
     *         pixels, inside the image), best first; scores descend with rank (the negated ranking value)
     */
    public Proposals propose(RgbImage image, long imageId) {
        SplittableRandom random = new SplittableRandom(mix(mix(seed) ^ imageId));
        Candidates all = new Candidates();
        int w = image.width(), h = image.height();
        for (ColourSpace space : mode.colourSpaces) {
            float[][] planes = space.convert(image);
            ImageFeatures features = new ImageFeatures(planes, w, h);
            GraphSegmentation graph = new GraphSegmentation(planes, w, h, GraphSegmentation.SIGMA);
            for (float k : mode.ks) {
                Segmentation segmentation = graph.segment(k, minSize(k, w, h));
                RegionDescriptors initial = RegionDescriptors.of(features, segmentation);
                int[] pairs = segmentation.neighbourPairs();
                for (Similarity strategy : mode.strategies) {
                    int[] boxes = HierarchicalGrouping.group(initial.copy(2 * initial.count() - 1), pairs, strategy);
                    all.addHierarchy(boxes, random);
                }
            }
        }
        return all.ranked(max, w, h);
    }

    /**
     * The smallest initial segment for scale k: k pixels on a PASCAL-sized image, proportionally less
     * on smaller ones, so a small image's small objects are not swallowed by their surroundings
     * before grouping starts (on 128-pixel {@code shapes} images a fixed k-pixel minimum loses a
     * quarter of the objects under 32² pixels; 2026-11-24, commit ba201b4).
     */
    static int minSize(float k, int width, int height) {
        return (int) Math.max(1, Math.round(k * Math.min(1.0, (double) width * height / REFERENCE_AREA)));
    }

    /** Stafford's "mix13" finaliser: nearby (seed, id) pairs get unrelated streams. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The regions of all hierarchies of one image with their ranking values. */
    private static final class Candidates {
        private int[] boxes = new int[4096];
        private double[] values = new double[1024];
        private int count;

        void addHierarchy(int[] hierarchy, SplittableRandom random) {
            int r = hierarchy.length / 4;
            if (count + r >= 1 << INDEX_BITS) throw new IllegalStateException("more than 2^" + INDEX_BITS + " candidate regions");
            if (values.length < count + r) {
                values = Arrays.copyOf(values, Math.max(2 * values.length, count + r));
                boxes = Arrays.copyOf(boxes, 4 * values.length);
            }
            System.arraycopy(hierarchy, 0, boxes, 4 * count, 4 * r);
            // Position 1 is the last region formed (the whole image), r the first initial region.
            for (int i = 0; i < r; i++) values[count + i] = (r - i) * random.nextDouble();
            count += r;
        }

        Proposals ranked(int max, int width, int height) {
            // Non-negative doubles order as their bit patterns; the low bits carry the index, which
            // also breaks (vanishingly rare) ties by order of creation.
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) keys[i] = (Double.doubleToLongBits(values[i]) >>> INDEX_BITS) << INDEX_BITS | i;
            Arrays.sort(keys);
            BoxSet seen = new BoxSet(width, height, Math.min(count, 2 * max));
            float[] out = new float[4 * Math.min(max, count)];
            float[] scores = new float[out.length / 4];
            int kept = 0;
            for (int j = 0; j < count && kept < max; j++) {
                int i = (int) (keys[j] & ((1L << INDEX_BITS) - 1));
                int b = 4 * i;
                if (!seen.add(boxes[b], boxes[b + 1], boxes[b + 2], boxes[b + 3])) continue;
                for (int c = 0; c < 4; c++) out[4 * kept + c] = boxes[b + c];
                scores[kept++] = (float) -values[i];
            }
            return new Proposals(Arrays.copyOf(out, 4 * kept), Arrays.copyOf(scores, kept));
        }
    }
}
