package org.rcnn4j.proposals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.sampling.Proposals;

/**
 * A stand-in for selective search in tests, until it is merged: per image, {@code perObject} boxes
 * jittered around each ground-truth box (IoU with it spread over [0.3, 0.9], so a detector must
 * still classify and regress) and {@code random} boxes anywhere in the image, with random scores;
 * every draw seeded by (seed, image id). Not a proposal method: it looks at the ground truth.
 */
public final class JitteredProposals {
    private JitteredProposals() {}

    /** Proposals for every image of {@code data}, by image id. */
    public static Map<Long, Proposals> of(Dataset data, int perObject, int random, long seed) {
        Map<Long, Proposals> out = new LinkedHashMap<>();
        for (ImageRecord im : data.images()) out.put(im.id(), forImage(im, perObject, random, seed));
        return out;
    }

    /** One image's proposals, best first by their (random) scores. */
    public static Proposals forImage(ImageRecord im, int perObject, int random, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + im.id());
        int n = perObject * im.annotations().size() + random;
        float[] boxes = new float[4 * n];
        int k = 0;
        for (Annotation a : im.annotations()) {
            float[] gt = a.box();
            for (int j = 0; j < perObject; j++, k++) System.arraycopy(jitter(gt, r, im), 0, boxes, 4 * k, 4);
        }
        for (; k < n; k++) {
            float w = (float) (8 + r.nextDouble() * (im.width() - 8)), h = (float) (8 + r.nextDouble() * (im.height() - 8));
            float x = (float) (r.nextDouble() * (im.width() - w)), y = (float) (r.nextDouble() * (im.height() - h));
            System.arraycopy(new float[] {x, y, x + w, y + h}, 0, boxes, 4 * k, 4);
        }
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) scores[i] = (float) r.nextDouble();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Float.compare(scores[q], scores[p]));
        int[] idx = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        return new Proposals(Boxes.select(boxes, idx), Boxes.gather(scores, idx));
    }

    /** A box around {@code gt} whose IoU with it is in [0.3, 0.9] (a few tries), clipped to the image. */
    static float[] jitter(float[] gt, SplittableRandom r, ImageRecord im) {
        float w = gt[2] - gt[0], h = gt[3] - gt[1];
        float[] box = gt;
        for (int attempt = 0; attempt < 20; attempt++) {
            float cx = (float) (gt[0] + w / 2 + w * (r.nextDouble() - 0.5) * 0.6);
            float cy = (float) (gt[1] + h / 2 + h * (r.nextDouble() - 0.5) * 0.6);
            float bw = (float) (w * Math.exp((r.nextDouble() - 0.5) * 0.9));
            float bh = (float) (h * Math.exp((r.nextDouble() - 0.5) * 0.9));
            box = Boxes.clip(new float[] {cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2}, im.width(), im.height());
            float iou = Boxes.iou(box, gt)[0];
            if (iou >= 0.3f && iou <= 0.9f) return box;
        }
        return box;
    }
}
