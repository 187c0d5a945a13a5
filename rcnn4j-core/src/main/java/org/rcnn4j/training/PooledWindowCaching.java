package org.rcnn4j.training;

import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.config.RoiConfig;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.SppNet;
import org.rcnn4j.modeling.GroundTruth;
import org.rcnn4j.proposals.ProposalSource;

/**
 * SPP-net's first training stage (He et al. 2014, §4.1): the conv layers, which fine-tuning does not
 * change, run once on each training image (at each scale of the pyramid) and the windows that
 * fine-tuning can sample are pooled by the spatial pyramid and cached ({@link FeatureCache}, layer
 * {@value #LAYER}): the image's ground-truth boxes first, then its proposals of IoU at least
 * {@code roi.bgLow} with a ground-truth box (every foreground window, and background windows up to
 * {@code fineTuneBackground} per image, a random subset drawn from the seed and the image id when
 * there are more). Windows below {@code bgLow} are never sampled (Fast R-CNN §2.3's background
 * range, which SPP-net's fine-tuning shares), so they are not cached. Boxes are stored in
 * original-image pixels. Resumable image by image.
 */
public final class PooledWindowCaching implements TrainingStage {
    /** The cache's folder under the cache directory, and its layer name. */
    public static final String LAYER = "spp";

    private final SppNet model;
    private final Dataset data;
    private final List<ImageRecord> images;
    private final ProposalSource proposals;
    private final Path dir;
    private final long seed;
    private final TrainingListener listener;
    private FeatureCache cache;

    /**
     * @param model     the detector, its conv layers as they stay
     * @param images    the training images whose windows are cached
     * @param proposals the training images' proposals
     * @param dir       the cache directory (the cache is its {@value #LAYER} folder)
     * @param seed      draws the background subsets
     */
    public PooledWindowCaching(SppNet model, Dataset data, List<ImageRecord> images, ProposalSource proposals, Path dir,
            long seed, TrainingListener listener) {
        this.model = model;
        this.data = data;
        this.images = List.copyOf(images);
        this.proposals = proposals;
        this.dir = dir;
        this.seed = seed;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "pooled-features";
    }

    @Override
    public String description() {
        return "spatial-pyramid-pooled conv features of the windows fine-tuning samples, " + images.size() + " images";
    }

    @Override
    public long size() {
        return images.size();
    }

    @Override
    public String unit() {
        return "images";
    }

    /** The images whose windows are cached, in training order. */
    public List<ImageRecord> images() {
        return images;
    }

    /** The cache, opened for the conv layers as they are (their weights' fingerprint). */
    public FeatureCache cache() throws IOException {
        if (cache == null) cache = FeatureCache.open(dir.resolve(LAYER), model.pool5Size(), LAYER, fingerprint(model));
        return cache;
    }

    @Override
    public List<IterationStats> run(boolean resume, DetectorTrainer.Listener ignored) throws IOException {
        FeatureCache c = cache();
        List<Long> ids = new ArrayList<>(images.size());
        for (ImageRecord im : images) ids.add(im.id());
        ParameterStore ps = new ParameterStore(model.manager(), false);
        c.fill(ids, id -> extract(ps, data.image(id).orElseThrow()),
                (done, total, eta, bytes) -> listener.onStageProgress(this, done, total, eta,
                        String.format(java.util.Locale.ROOT, "cache %.1f MB", bytes / 1e6)));
        return List.of();
    }

    private FeatureCache.Rows extract(ParameterStore ps, ImageRecord record) throws IOException {
        RegionFeatureCaching.TrainingImage im = RegionFeatureCaching.TrainingImage.read(data, record, proposals,
                model.config().maxProposals());
        GroundTruth gt = im.groundTruth();
        float[] proposed = im.proposals().boxes();
        int[] keep = fineTuningWindows(proposed, gt.boxes(), model.config().roi(), model.config().fineTuneBackground(),
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L + record.id()));
        float[] boxes = Boxes.concat(gt.boxes(), Boxes.select(proposed, keep));
        return new FeatureCache.Rows(boxes, model.pooledFeatures(ps, im.pixels(), record, boxes, DetectorTraining.NORMALIZE));
    }

    /**
     * The proposals fine-tuning can sample, in their order: every one of IoU ≥ {@code roi.fgIoU} with
     * a ground-truth box, and those in {@code [roi.bgLow, roi.fgIoU)}, at most {@code maxBackground}
     * of them (a uniform random subset; 0: all). An image without objects has none.
     */
    static int[] fineTuningWindows(float[] proposals, float[] gtBoxes, RoiConfig roi, int maxBackground,
            SplittableRandom random) {
        int r = Boxes.count(proposals);
        int g = Boxes.count(gtBoxes);
        if (g == 0 || r == 0) return new int[0];
        float[] iou = Boxes.iou(proposals, gtBoxes);
        int[] fg = new int[r];
        int[] bg = new int[r];
        int nf = 0;
        int nb = 0;
        for (int i = 0; i < r; i++) {
            float best = 0;
            for (int j = 0; j < g; j++) best = Math.max(best, iou[i * g + j]);
            if (best >= roi.fgIoU()) fg[nf++] = i;
            else if (best >= roi.bgLow()) bg[nb++] = i;
        }
        if (maxBackground > 0 && nb > maxBackground) {
            // A partial Fisher-Yates shuffle picks maxBackground of them; sorted back into proposal order.
            for (int i = 0; i < maxBackground; i++) {
                int j = i + random.nextInt(nb - i);
                int t = bg[i];
                bg[i] = bg[j];
                bg[j] = t;
            }
            nb = maxBackground;
            Arrays.sort(bg, 0, nb);
        }
        int[] out = new int[nf + nb];
        System.arraycopy(fg, 0, out, 0, nf);
        System.arraycopy(bg, 0, out, nf, nb);
        Arrays.sort(out);
        return out;
    }

    /** SHA-256 of the conv layers' parameters: what the pooled features were computed with. */
    static String fingerprint(SppNet model) {
        return RegionFeatureCaching.sha256Of(model::saveConvWeights);
    }
}
