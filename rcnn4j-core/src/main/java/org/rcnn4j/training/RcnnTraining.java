package org.rcnn4j.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Rcnn;
import org.rcnn4j.detector.RcnnConfig;

/**
 * Trains R-CNN by its multi-stage pipeline (Girshick et al. 2014, §2.3 and Appendix C), the
 * library's equivalent of {@code rcnn4j train --detector r-cnn}:
 * <ol>
 *   <li><b>fine-tune</b>: the pre-trained network with a new (K+1)-way classifier, by SGD on warped
 *       regions (batches of 2 images × 64: 25 % foreground at IoU ≥ 0.5 with ground truth included,
 *       the rest background, random flips);</li>
 *   <li><b>features</b>: fc7 and pool5 of every region of the SVM images, cached on disk
 *       ({@link RegionFeatureCaching});</li>
 *   <li><b>svms</b>: one linear SVM per class with hard negative mining ({@link SvmTraining});</li>
 *   <li><b>box-regression</b>: one ridge regressor per class ({@link BoxRegressorFitting}).</li>
 * </ol>
 * Each finished stage saves the network with what it has learnt so far ({@link PipelineState});
 * a resume skips finished stages, continues fine-tuning from its checkpoint and the feature cache
 * from the images it holds. The cache is removed once the model directory is written; its size is
 * recorded in the training facts, with each stage's seconds.
 */
public final class RcnnTraining {
    /** The feature cache's folder in the model directory while training. */
    public static final String FEATURE_CACHE = "feature-cache";

    private RcnnTraining() {}

    /**
     * Runs the stages (or, with {@code r.resume()}, what is left of them), then validates and saves
     * the model directory as {@link DetectorTraining#run} does.
     *
     * @throws IllegalArgumentException when the request is not for R-CNN
     */
    public static DetectorTraining.Outcome run(DetectorTraining.Request r, TrainingListener listener, IntConsumer valProgress)
            throws IOException {
        if (!(DetectorTraining.configFor(r) instanceof RcnnConfig config)) {
            throw new IllegalArgumentException("the multi-stage schedule is R-CNN's, not " + r.kind().name() + "'s");
        }
        TrainingConfig t = r.training();
        List<ImageRecord> images = svmImages(r, config);
        int k = r.train().numClasses();
        long[] sizes = {t.iterations(), images.size(), images.size(), k};
        Files.createDirectories(r.out());
        PipelineState state = new PipelineState(r.out(), Rcnn.MULTI_STAGE, t.seed(), sizes);
        Path cacheDir = r.out().resolve(FEATURE_CACHE);
        long start = System.nanoTime();
        try (Rcnn model = Rcnn.create(config, t.seed(), r.backboneWeights())) {
            DetectorTraining.useProposals(model, r.proposals(), "training");
            if (r.resume() && state.stagesDone() > 0) state.load(model);
            RegionFeatureCaching caching = new RegionFeatureCaching(model, r.train(), images, r.proposals(), cacheDir, listener);
            SvmTraining svms = new SvmTraining(caching, model.predictor().svms(), config.svm(), r.train(), images, t.seed(), listener);
            BoxRegressorFitting regression = new BoxRegressorFitting(caching, model.predictor().regressors(),
                    config.boxRegression(), r.train(), images, listener);
            List<TrainingStage> stages = List.of(
                    new SgdStage("fine-tune", "the network as a " + (k + 1) + "-way classifier on warped regions", model, model,
                            () -> {}, t, r.train(), DetectorTraining.loaderConfig(config, t), state.checkpoints(1)),
                    caching, svms, regression);
            TrainingPipeline.Result result = TrainingPipeline.run(stages, state.record(n -> model), r.resume(), listener);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> facts = DetectorTraining.facts(r, Rcnn.MULTI_STAGE, seconds);
            facts.put("stages", List.of("fine-tune", "features", "svms", "box-regression"));
            facts.put("stage_seconds", result.seconds());
            facts.put("svm_images", images.size());
            facts.put("feature_cache_bytes", caching.sizeBytes());
            facts.put("feature_scale_fc7", model.predictor().svms().scale());
            facts.put("feature_scale_pool5", model.predictor().regressors().scale());
            Map<String, Double> val = DetectorTraining.validateAndSave(r, model, facts, valProgress);
            DetectorTraining.deleteRecursively(cacheDir);
            return new DetectorTraining.Outcome(config, result.history(), seconds, val);
        }
    }

    /** The images the SVMs and regressors train on: the first {@code svm.images} of the training set (all for 0). */
    static List<ImageRecord> svmImages(DetectorTraining.Request r, RcnnConfig config) {
        List<ImageRecord> all = r.train().images();
        int n = config.svm().images();
        return n == 0 || n >= all.size() ? all : all.subList(0, n);
    }
}
