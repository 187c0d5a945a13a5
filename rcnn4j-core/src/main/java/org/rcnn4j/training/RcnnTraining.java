package org.rcnn4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.rcnn4j.config.SvmDetectorConfig;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Rcnn;
import org.rcnn4j.detector.RegionFeatureDetector;
import org.rcnn4j.detector.SppNet;

/**
 * Trains R-CNN and SPP-net by their multi-stage pipeline, the library's equivalent of
 * {@code rcnn4j train --detector r-cnn} or {@code spp-net}. R-CNN (Girshick et al. 2014, §2.3 and
 * Appendix C):
 * <ol>
 *   <li><b>fine-tune</b>: the pre-trained network with a new (K+1)-way classifier, by SGD on warped
 *       regions (batches of 2 images × 64: 25 % foreground at IoU ≥ 0.5 with ground truth included,
 *       the rest background, random flips);</li>
 * </ol>
 * SPP-net (He et al. 2014, §4.1) instead, its conv layers fixed:
 * <ol>
 *   <li><b>pooled-features</b>: the windows fine-tuning samples, pyramid-pooled from conv maps
 *       computed once per image, cached ({@link PooledWindowCaching});</li>
 *   <li><b>fine-tune</b>: fc6, fc7 and a new (K+1)-way classifier on the cache
 *       ({@link CachedFineTuning});</li>
 * </ol>
 * then for both:
 * <ol>
 *   <li><b>features</b>: fc7 and the pooled features of every region of the SVM images, cached on
 *       disk ({@link RegionFeatureCaching});</li>
 *   <li><b>svms</b>: one linear SVM per class with hard negative mining ({@link SvmTraining});</li>
 *   <li><b>box-regression</b>: one ridge regressor per class ({@link BoxRegressorFitting}).</li>
 * </ol>
 * Each finished stage saves the network with what it has learnt so far ({@link PipelineState});
 * a resume skips finished stages, continues fine-tuning from its checkpoint and the feature caches
 * from the images they hold. The caches are removed once the model directory is written; their size
 * is recorded in the training facts, with each stage's seconds.
 */
public final class RcnnTraining {
    /** The feature caches' folder in the model directory while training. */
    public static final String FEATURE_CACHE = "feature-cache";

    private RcnnTraining() {}

    /**
     * Runs the stages (or, with {@code r.resume()}, what is left of them), then validates and saves
     * the model directory as {@link DetectorTraining#run} does.
     *
     * @throws IllegalArgumentException when the request is not for R-CNN or SPP-net
     */
    public static DetectorTraining.Outcome run(DetectorTraining.Request r, TrainingListener listener, IntConsumer valProgress)
            throws IOException {
        if (!(DetectorTraining.configFor(r) instanceof SvmDetectorConfig config)) {
            throw new IllegalArgumentException("the multi-stage schedule is R-CNN's and SPP-net's, not " + r.kind().name() + "'s");
        }
        TrainingConfig t = r.training();
        List<ImageRecord> images = svmImages(r, config);
        Files.createDirectories(r.out());
        Path cacheDir = r.out().resolve(FEATURE_CACHE);
        long start = System.nanoTime();
        try (RegionFeatureDetector model = (RegionFeatureDetector) r.kind().create(config, t.seed(), r.backboneWeights())) {
            DetectorTraining.useProposals(model, r.proposals(), "training");
            int k = r.train().numClasses();
            int n = images.size();
            boolean spp = model instanceof SppNet;
            long[] sizes = spp ? new long[] {n, t.iterations(), n, n, k} : new long[] {t.iterations(), n, n, k};
            PipelineState state = new PipelineState(r.out(), Rcnn.MULTI_STAGE, t.seed(), r.train().fingerprint(), sizes);
            List<TrainingStage> stages = new ArrayList<>();
            if (model instanceof Rcnn rcnn) {
                stages.add(new SgdStage("fine-tune", "the network as a " + (k + 1) + "-way classifier on warped regions",
                        rcnn, rcnn, () -> {}, t, r.train(), DetectorTraining.loaderConfig(config, t),
                        state.checkpoints(1)));
            } else {
                SppNet sppNet = (SppNet) model;
                PooledWindowCaching windows = new PooledWindowCaching(sppNet, r.train(), images, r.proposals(), cacheDir,
                        t.seed(), listener);
                stages.add(windows);
                stages.add(new CachedFineTuning(sppNet, windows, r.train(), t, state.checkpoints(2)));
            }
            RegionFeatureCaching caching = new RegionFeatureCaching(model, r.train(), images, r.proposals(), cacheDir, listener);
            stages.add(caching);
            stages.add(new SvmTraining(caching, model.predictor().svms(), config.svm(), r.train(), images, t.seed(), listener));
            stages.add(new BoxRegressorFitting(caching, model.predictor().regressors(), config.boxRegression(), r.train(),
                    images, listener));
            if (r.resume() && state.stagesDone() > 0) state.load(model);
            TrainingPipeline.Result result = TrainingPipeline.run(stages, state.record(i -> model), r.resume(), listener);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> facts = DetectorTraining.facts(r, Rcnn.MULTI_STAGE, seconds);
            facts.put("stages", stages.stream().map(TrainingStage::name).toList());
            facts.put("stage_seconds", result.seconds());
            facts.put("svm_images", images.size());
            facts.put("feature_cache_bytes", caching.sizeBytes() + pooledCacheBytes(stages));
            facts.put("feature_scale_fc7", model.predictor().svms().scale());
            facts.put("feature_scale_pool5", model.predictor().regressors().scale());
            Map<String, Double> val = DetectorTraining.validateAndSave(r, model, facts, valProgress);
            DetectorTraining.deleteRecursively(cacheDir);
            return new DetectorTraining.Outcome(config, result.history(), seconds, val);
        }
    }

    private static long pooledCacheBytes(List<TrainingStage> stages) throws IOException {
        for (TrainingStage s : stages) if (s instanceof PooledWindowCaching w) return w.cache().sizeBytes();
        return 0;
    }

    /**
     * The images the SVMs and regressors (and SPP-net's fine-tuning) train on: the first
     * {@code svm.images} of the training set (all for 0).
     */
    static List<ImageRecord> svmImages(DetectorTraining.Request r, SvmDetectorConfig config) {
        List<ImageRecord> all = r.train().images();
        int n = config.svm().images();
        return n == 0 || n >= all.size() ? all : all.subList(0, n);
    }
}
