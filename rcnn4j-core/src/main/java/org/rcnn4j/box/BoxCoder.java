package org.rcnn4j.box;

/**
 * The R-CNN box parameterisation (R-CNN, appendix C; Fast R-CNN §2.3, the targets {@code t^u}):
 * a proposal P is moved to a box G by
 *
 * <pre>
 *   tx = (Gx - Px) / Pw     ty = (Gy - Py) / Ph
 *   tw = log(Gw / Pw)       th = log(Gh / Ph)
 * </pre>
 *
 * where (x, y) is a box's centre and (w, h) its size, in the continuous convention:
 * {@code w = x2 - x1}, {@code cx = x1 + w / 2}. Decoding inverts it.
 *
 * <p>Targets may be normalised per coordinate, as Fast R-CNN does (§2.3: "normalize the ground-truth
 * regression targets to have zero mean and unit variance"; py-faster-rcnn's fixed
 * {@code BBOX_NORMALIZE_STDS = (0.1, 0.1, 0.2, 0.2)}, torchvision's weights 10, 10, 5, 5): the coder
 * emits {@code (t - mean) / std} and decodes {@code d * std + mean}.
 *
 * <p>Decoding clamps dw and dh at {@code maxLogScale} (default {@code log(1000 / 16)}, as
 * py-faster-rcnn and torchvision do) before {@code exp}, so a wild prediction yields a box at most
 * 62.5 times its proposal's size rather than an overflow to infinity.
 *
 * <p>Immutable and thread-safe.
 */
public final class BoxCoder {

    /** {@code log(1000 / 16)}: the clamp on dw, dh before exp (py-faster-rcnn, torchvision). */
    public static final double DEFAULT_MAX_LOG_SCALE = Math.log(1000.0 / 16.0);

    private final float[] means;
    private final float[] stds;
    private final float maxLogScale;

    /**
     * A coder with per-coordinate normalisation and a clamp.
     *
     * @param means       4 target means (tx, ty, tw, th), subtracted when encoding
     * @param stds        4 positive, finite target standard deviations, divided by when encoding
     * @param maxLogScale upper clamp on decoded dw, dh before exp (positive)
     */
    public BoxCoder(float[] means, float[] stds, double maxLogScale) {
        if (means.length != 4 || stds.length != 4) {
            throw new IllegalArgumentException("means and stds need 4 values each");
        }
        for (int k = 0; k < 4; k++) {
            if (!Float.isFinite(means[k]) || !(stds[k] > 0f) || !Float.isFinite(stds[k])) {
                throw new IllegalArgumentException("means must be finite and stds finite and positive");
            }
        }
        if (!(maxLogScale > 0) || Double.isInfinite(maxLogScale)) {
            throw new IllegalArgumentException("maxLogScale must be finite and positive: " + maxLogScale);
        }
        this.means = means.clone();
        this.stds = stds.clone();
        this.maxLogScale = (float) maxLogScale;
    }

    /** A coder with the given normalisation and the default clamp {@link #DEFAULT_MAX_LOG_SCALE}. */
    public BoxCoder(float[] means, float[] stds) {
        this(means, stds, DEFAULT_MAX_LOG_SCALE);
    }

    /** R-CNN's plain parameterisation: means 0, stds 1, default clamp. */
    public static BoxCoder rcnn() {
        return new BoxCoder(new float[4], new float[] {1f, 1f, 1f, 1f});
    }

    /**
     * Fast R-CNN's normalised targets as py-faster-rcnn trains them: means 0, stds 0.1, 0.1, 0.2,
     * 0.2 ({@code BBOX_NORMALIZE_STDS}); the same as torchvision's weights (10, 10, 5, 5).
     */
    public static BoxCoder fastRcnn() {
        return new BoxCoder(new float[4], new float[] {0.1f, 0.1f, 0.2f, 0.2f});
    }

    /** The 4 target means (a copy). */
    public float[] means() {
        return means.clone();
    }

    /** The 4 target standard deviations (a copy). */
    public float[] stds() {
        return stds.clone();
    }

    /**
     * Regression targets that move each proposal onto its row-aligned ground-truth box.
     *
     * <p>Every proposal and ground-truth box must have finite coordinates and positive width and
     * height: a degenerate box has no log-size and its target would be infinite or NaN, silently
     * poisoning a loss, so this throws instead (filter with {@link Boxes#removeSmall} first).
     *
     * @param proposals N boxes P (anchors or RoIs), continuous convention
     * @param gt        N boxes G, row i the target of proposal i
     * @return N×4 deltas {@code (tx, ty, tw, th)}, normalised by this coder's means and stds
     * @throws IllegalArgumentException if lengths differ or a box is degenerate or non-finite
     */
    public float[] encode(float[] proposals, float[] gt) {
        int n = Boxes.count(proposals);
        if (gt.length != proposals.length) {
            throw new IllegalArgumentException(
                    "proposals and gt differ in length: " + proposals.length + " vs " + gt.length);
        }
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            requireProper(proposals, i, "proposal");
            requireProper(gt, i, "gt box");
            double pw = (double) proposals[o + 2] - proposals[o];
            double ph = (double) proposals[o + 3] - proposals[o + 1];
            double px = proposals[o] + 0.5 * pw;
            double py = proposals[o + 1] + 0.5 * ph;
            double gw = (double) gt[o + 2] - gt[o];
            double gh = (double) gt[o + 3] - gt[o + 1];
            double gx = gt[o] + 0.5 * gw;
            double gy = gt[o + 1] + 0.5 * gh;
            out[o] = (float) (((gx - px) / pw - means[0]) / stds[0]);
            out[o + 1] = (float) (((gy - py) / ph - means[1]) / stds[1]);
            out[o + 2] = (float) ((Math.log(gw / pw) - means[2]) / stds[2]);
            out[o + 3] = (float) ((Math.log(gh / ph) - means[3]) / stds[3]);
        }
        return out;
    }

    private static void requireProper(float[] boxes, int i, String what) {
        int o = 4 * i;
        float w = boxes[o + 2] - boxes[o];
        float h = boxes[o + 3] - boxes[o + 1];
        // "!(w > 0)" is also true for NaN; the finiteness checks catch infinite corners.
        if (!(w > 0f) || !(h > 0f) || !Float.isFinite(w) || !Float.isFinite(h)) {
            throw new IllegalArgumentException(what + " " + i + " is degenerate or non-finite: ["
                    + boxes[o] + ", " + boxes[o + 1] + ", " + boxes[o + 2] + ", " + boxes[o + 3] + "]");
        }
    }

    /**
     * Applies one set of deltas to each box (class-agnostic, e.g. RPN proposals from anchors).
     *
     * <p>Non-finite values: NaN in a delta or box gives NaN coordinates in that row (NaN in, NaN
     * out; never a plausible-looking box). dw or dh = +∞ is clamped like any large value; -∞ gives a
     * zero-size box at the predicted centre; an infinite dx or dy gives infinite coordinates. A
     * degenerate input box decodes to a box of size 0 or less, never NaN. Callers clip
     * ({@link Boxes#clip}) and filter ({@link Boxes#removeSmall}, which drops NaN rows).
     *
     * @param deltas N×4 deltas {@code (dx, dy, dw, dh)} in this coder's normalisation
     * @param boxes  N boxes the deltas refer to, continuous convention
     * @return N decoded boxes, continuous convention, a new array
     */
    public float[] decode(float[] deltas, float[] boxes) {
        int n = Boxes.count(boxes);
        if (deltas.length != boxes.length) {
            throw new IllegalArgumentException(
                    "deltas and boxes differ in length: " + deltas.length + " vs " + boxes.length);
        }
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            decodeOne(deltas, 4 * i, boxes, 4 * i, out, 4 * i);
        }
        return out;
    }

    /**
     * Applies class-specific deltas (Fast R-CNN's {@code bbox_pred}: 4 outputs per class, §2.3): row r
     * holds K groups {@code (dx, dy, dw, dh)}, group c for class c, all relative to box r.
     * Non-finite values behave as in {@link #decode}.
     *
     * @param deltas  R×(4K) deltas, row-major
     * @param boxes   R boxes (RoIs), continuous convention
     * @param classes K, the number of classes in a row (including background if the head has it)
     * @return R×(4K) boxes in the same layout: box of class c for RoI r at {@code [r*4K + 4c]}
     */
    public float[] decodeClassSpecific(float[] deltas, float[] boxes, int classes) {
        int r = Boxes.count(boxes);
        if (classes <= 0 || deltas.length != r * 4 * classes) {
            throw new IllegalArgumentException("deltas length " + deltas.length + " is not R*4K with R = "
                    + r + ", K = " + classes);
        }
        float[] out = new float[deltas.length];
        int row = 4 * classes;
        for (int i = 0; i < r; i++) {
            for (int c = 0; c < classes; c++) {
                int o = i * row + 4 * c;
                decodeOne(deltas, o, boxes, 4 * i, out, o);
            }
        }
        return out;
    }

    private void decodeOne(float[] deltas, int d, float[] boxes, int b, float[] out, int o) {
        double w = (double) boxes[b + 2] - boxes[b];
        double h = (double) boxes[b + 3] - boxes[b + 1];
        double cx = boxes[b] + 0.5 * w;
        double cy = boxes[b + 1] + 0.5 * h;
        double dx = deltas[d] * (double) stds[0] + means[0];
        double dy = deltas[d + 1] * (double) stds[1] + means[1];
        // Math.min keeps NaN as NaN, so a NaN delta is not clamped into a plausible size.
        double dw = Math.min(deltas[d + 2] * (double) stds[2] + means[2], maxLogScale);
        double dh = Math.min(deltas[d + 3] * (double) stds[3] + means[3], maxLogScale);
        double px = dx * w + cx;
        double py = dy * h + cy;
        double pw = Math.exp(dw) * w;
        double ph = Math.exp(dh) * h;
        out[o] = (float) (px - 0.5 * pw);
        out[o + 1] = (float) (py - 0.5 * ph);
        out[o + 2] = (float) (px + 0.5 * pw);
        out[o + 3] = (float) (py + 0.5 * ph);
    }
}
