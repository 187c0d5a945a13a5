package org.rcnn4j.evaluation;

import java.util.Map;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;

/**
 * Recall of region proposals: the fraction of ground-truth objects covered by one of an image's
 * top-N proposals at IoU ≥ t (Faster R-CNN §4.1, Fig. 2), and average recall over t in
 * 0.50:0.05:0.95 (Hosang et al.; FPN Table 1's AR). Crowd and difficult objects are not counted.
 * Area ranges are COCO's, by the annotation's area: small < 32², medium < 96², large.
 */
public final class ProposalRecall {
    /** Area ranges, COCO's. */
    public enum Area { ALL, SMALL, MEDIUM, LARGE }

    private ProposalRecall() {}

    /**
     * @param proposals per image id, proposals in original-image pixels, best first
     * @param topN      proposals considered per image
     * @param iou       the IoU an object needs
     * @return recall in [0, 1], or -1 when no object falls in {@code area}
     */
    public static double recall(Dataset gt, Map<Long, Proposals> proposals, int topN, float iou, Area area) {
        long covered = 0;
        long total = 0;
        for (ImageRecord im : gt.images()) {
            float[] best = bestOverlaps(im, proposals.get(im.id()), topN);
            int k = 0;
            for (Annotation a : im.annotations()) {
                if (a.crowd() || a.difficult()) continue;
                float b = best[k++];
                if (!inArea(a.area(), area)) continue;
                total++;
                if (b >= iou) covered++;
            }
        }
        return total == 0 ? -1 : (double) covered / total;
    }

    /** Recall averaged over IoU 0.50, 0.55, ..., 0.95 ({@code AR@topN}). */
    public static double averageRecall(Dataset gt, Map<Long, Proposals> proposals, int topN, Area area) {
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            double r = recall(gt, proposals, topN, 0.5f + 0.05f * i, area);
            if (r < 0) return -1;
            sum += r;
        }
        return sum / 10;
    }

    /** Proposal counts of {@link #summarize}: Faster R-CNN's 300 at test, and FPN Table 1's 100 and 1000. */
    public static final int[] TOP_NS = {100, 300, 1000};

    /**
     * The proposal metrics by name, for each N of {@link #TOP_NS}: {@code AR@N} and, by area,
     * {@code ARs@N}, {@code ARm@N}, {@code ARl@N} (Detectron2's names), and {@code R50@N}, recall at
     * IoU 0.5. An area without objects reads -1, as in the COCO API.
     */
    public static Map<String, Double> summarize(Dataset gt, Map<Long, Proposals> proposals) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int n : TOP_NS) {
            m.put("AR@" + n, averageRecall(gt, proposals, n, Area.ALL));
            m.put("ARs@" + n, averageRecall(gt, proposals, n, Area.SMALL));
            m.put("ARm@" + n, averageRecall(gt, proposals, n, Area.MEDIUM));
            m.put("ARl@" + n, averageRecall(gt, proposals, n, Area.LARGE));
            m.put("R50@" + n, recall(gt, proposals, n, 0.5f, Area.ALL));
        }
        return m;
    }

    /** For each counted object of {@code im} in order, its best IoU with the top-N proposals. */
    private static float[] bestOverlaps(ImageRecord im, Proposals p, int topN) {
        int g = 0;
        for (Annotation a : im.annotations()) if (!a.crowd() && !a.difficult()) g++;
        float[] gtBoxes = new float[4 * g];
        int k = 0;
        for (Annotation a : im.annotations()) {
            if (a.crowd() || a.difficult()) continue;
            System.arraycopy(a.box(), 0, gtBoxes, 4 * k++, 4);
        }
        float[] best = new float[g];
        if (p == null || g == 0) return best;
        int n = Math.min(topN, p.size());
        float[] top = java.util.Arrays.copyOf(p.boxes(), 4 * n);
        float[] iou = Boxes.iou(top, gtBoxes);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g; j++) best[j] = Math.max(best[j], iou[i * g + j]);
        }
        return best;
    }

    private static boolean inArea(double area, Area range) {
        return switch (range) {
            case ALL -> true;
            case SMALL -> area < 32 * 32;
            case MEDIUM -> area >= 32 * 32 && area < 96 * 96;
            case LARGE -> area >= 96 * 96;
        };
    }
}
