package org.rcnn4j.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

/**
 * Pascal VOC detection evaluation with the rules of py-faster-rcnn's
 * {@code lib/datasets/voc_eval.py} (itself a port of the VOC devkit's {@code VOCevaldet.m}).
 *
 * <p>For each class, over the images of the dataset:
 * <ul>
 *   <li>detections are visited in descending score order; ties keep their order in the input
 *       list (a stable sort). The reference sorts with numpy's default {@code argsort}, an
 *       unstable introsort: it keeps ties in order for up to 16 detections of a class, but not
 *       beyond, so on tied scores across more than 16 detections the two may differ;</li>
 *   <li>each detection is compared with every ground-truth object of its class in its image by
 *       IoU with VOC's +1 pixel widths on 1-based pixel-index boxes. rcnn4j's continuous boxes
 *       become {@code xmin = x1 + 1, xmax = x2} (the inverse of reading VOC), under which the +1
 *       formula equals the continuous IoU; it is computed in double with the reference's
 *       operations, so results match it to rounding;</li>
 *   <li>the object of highest IoU (the first on ties) decides: IoU strictly above the threshold
 *       (0.5; the reference tests {@code ovmax > ovthresh}) and the object difficult: neither true
 *       nor false positive; not difficult and not yet detected: true positive, and the object is
 *       now detected; already detected (a duplicate): false positive. IoU at or below the
 *       threshold, or no object: false positive;</li>
 *   <li>recall = TP / npos, npos the number of non-difficult objects; precision = TP / max(TP + FP,
 *       machine epsilon); AP from that curve by the {@link VocMetric}.</li>
 * </ul>
 *
 * <p>Edge cases: a class without detections has an empty curve and AP 0 (the reference's
 * {@code voc_ap} of an empty curve). A class without non-difficult ground truth (npos = 0) has
 * no defined recall: the reference divides by zero and gets 0 (voc07) or NaN (voc, when it has
 * detections); rcnn4j reports AP -1 with an empty curve (the {@link PrecisionRecall} convention)
 * and leaves the class out of the mAP.
 */
public final class VocEvaluator {
    /** The VOC challenge's overlap criterion (Everingham et al., IJCV 2010, section 4.4). */
    public static final double DEFAULT_IOU_THRESHOLD = 0.5;

    /** numpy's {@code finfo(float64).eps}: the reference's floor for TP + FP. */
    private static final double EPS = Math.ulp(1.0);

    private final double iouThreshold;

    /** An evaluator with the VOC threshold, IoU > 0.5. */
    public VocEvaluator() {
        this(DEFAULT_IOU_THRESHOLD);
    }

    /** @param iouThreshold a detection matches an object when their IoU is strictly greater */
    public VocEvaluator(double iouThreshold) {
        if (!(iouThreshold >= 0 && iouThreshold < 1)) {
            throw new IllegalArgumentException("IoU threshold must be in [0, 1): " + iouThreshold);
        }
        this.iouThreshold = iouThreshold;
    }

    /**
     * Evaluates detections against a dataset's ground truth.
     *
     * @param gt     the ground truth: its images are the evaluated set, its categories the classes
     * @param dets   detections (continuous boxes) on images of {@code gt}, any order
     * @param metric the AP rule
     * @return per-class curves and APs in class order, and the mAP
     * @throws IllegalArgumentException when a detection names an image or category {@code gt} lacks
     */
    public VocEvaluation evaluate(Dataset gt, List<Detection> dets, VocMetric metric) {
        int numClasses = gt.numClasses();
        Map<Long, Integer> imageIndex = new HashMap<>();
        for (int i = 0; i < gt.images().size(); i++) imageIndex.put(gt.images().get(i).id(), i);
        List<List<Integer>> byClass = new ArrayList<>(numClasses);
        for (int k = 0; k < numClasses; k++) byClass.add(new ArrayList<>());
        for (int d = 0; d < dets.size(); d++) {
            Detection det = dets.get(d);
            if (!imageIndex.containsKey(det.imageId())) {
                throw new IllegalArgumentException("detection " + d + " is on unknown image id " + det.imageId());
            }
            int k = gt.classIndex(det.categoryId());
            if (k < 0) {
                throw new IllegalArgumentException("detection " + d + " has unknown category id " + det.categoryId());
            }
            byClass.get(k - 1).add(d);
        }
        List<PrecisionRecall> curves = new ArrayList<>(numClasses);
        double sum = 0;
        int counted = 0;
        for (int k = 1; k <= numClasses; k++) {
            PrecisionRecall pr = evaluateClass(gt, k, dets, byClass.get(k - 1), imageIndex, metric);
            curves.add(pr);
            if (pr.ap() >= 0) {
                sum += pr.ap();
                counted++;
            }
        }
        return new VocEvaluation(metric, counted == 0 ? -1 : sum / counted, curves);
    }

    /** One class: match its detections (indices into {@code dets}) and compute its curve and AP. */
    private PrecisionRecall evaluateClass(Dataset gt, int classIndex, List<Detection> dets,
                                          List<Integer> classDets, Map<Long, Integer> imageIndex,
                                          VocMetric metric) {
        String name = gt.categoryOfClass(classIndex).name();
        ImageObjects[] objects = new ImageObjects[gt.images().size()];
        int npos = 0;
        for (int i = 0; i < objects.length; i++) {
            objects[i] = ImageObjects.of(gt.images().get(i), gt.categoryOfClass(classIndex).id());
            npos += objects[i].numPositives();
        }
        if (npos == 0) return new PrecisionRecall(name, new double[0], new double[0], -1);

        List<Integer> order = new ArrayList<>(classDets);
        order.sort(Comparator.comparingDouble((Integer d) -> dets.get(d).score()).reversed());
        int n = order.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        double tp = 0;
        double fp = 0;
        for (int r = 0; r < n; r++) {
            Detection det = dets.get(order.get(r));
            Outcome outcome = objects[imageIndex.get(det.imageId())].match(det, iouThreshold);
            if (outcome == Outcome.TRUE_POSITIVE) tp++;
            if (outcome == Outcome.FALSE_POSITIVE) fp++;
            recall[r] = tp / npos;
            precision[r] = tp / Math.max(tp + fp, EPS);
        }
        return new PrecisionRecall(name, recall, precision, metric.averagePrecision(recall, precision));
    }

    private enum Outcome { TRUE_POSITIVE, FALSE_POSITIVE, IGNORED }

    /** The objects of one class in one image, as VOC pixel-index boxes, and which are detected. */
    private static final class ImageObjects {
        private final double[] boxes; // 4 per object: xmin ymin xmax ymax, VOC 1-based inclusive
        private final boolean[] difficult;
        private final boolean[] detected;

        private ImageObjects(double[] boxes, boolean[] difficult) {
            this.boxes = boxes;
            this.difficult = difficult;
            this.detected = new boolean[difficult.length];
        }

        static ImageObjects of(ImageRecord image, int categoryId) {
            List<Annotation> mine = new ArrayList<>();
            for (Annotation a : image.annotations()) {
                if (a.categoryId() == categoryId) mine.add(a);
            }
            double[] boxes = new double[4 * mine.size()];
            boolean[] difficult = new boolean[mine.size()];
            for (int j = 0; j < mine.size(); j++) {
                Annotation a = mine.get(j);
                boxes[4 * j] = (double) a.x1() + 1;
                boxes[4 * j + 1] = (double) a.y1() + 1;
                boxes[4 * j + 2] = a.x2();
                boxes[4 * j + 3] = a.y2();
                difficult[j] = a.difficult();
            }
            return new ImageObjects(boxes, difficult);
        }

        int numPositives() {
            int n = 0;
            for (boolean d : difficult) if (!d) n++;
            return n;
        }

        /** Decides one detection against these objects (and marks a newly detected object). */
        Outcome match(Detection det, double threshold) {
            double bxmin = (double) det.x1() + 1;
            double bymin = (double) det.y1() + 1;
            double bxmax = det.x2();
            double bymax = det.y2();
            double ovmax = Double.NEGATIVE_INFINITY;
            int jmax = -1;
            for (int j = 0; j < difficult.length; j++) {
                double iw = Math.max(Math.min(boxes[4 * j + 2], bxmax) - Math.max(boxes[4 * j], bxmin) + 1.0, 0.0);
                double ih = Math.max(Math.min(boxes[4 * j + 3], bymax) - Math.max(boxes[4 * j + 1], bymin) + 1.0, 0.0);
                double inters = iw * ih;
                double uni = (bxmax - bxmin + 1.0) * (bymax - bymin + 1.0)
                        + (boxes[4 * j + 2] - boxes[4 * j] + 1.0) * (boxes[4 * j + 3] - boxes[4 * j + 1] + 1.0)
                        - inters;
                double ov = inters / uni;
                if (Double.isNaN(ov)) {
                    // numpy's max and argmax both stop at the first NaN, and NaN > threshold is false
                    ovmax = ov;
                    jmax = j;
                    break;
                }
                if (ov > ovmax) {
                    ovmax = ov;
                    jmax = j;
                }
            }
            if (!(ovmax > threshold)) return Outcome.FALSE_POSITIVE;
            if (difficult[jmax]) return Outcome.IGNORED;
            if (detected[jmax]) return Outcome.FALSE_POSITIVE;
            detected[jmax] = true;
            return Outcome.TRUE_POSITIVE;
        }
    }
}
