package org.rcnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.io.ResidentMemory;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.training.TrainingConfig;
import org.rcnn4j.training.TrainingSpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j bench}: measurements that belong in bench/results, not in tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (speed by stage).",
        subcommands = {BenchCommand.Speed.class, BenchCommand.Train.class})
final class BenchCommand {
    /** The options every benchmark takes: the model, the images and where the figures go. */
    static final class Common {
        @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "Model directory.")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "DATA", description = "Images: COCO JSON or VOC directory.")
        Path data;

        @Option(names = "--split", paramLabel = "S", description = "VOC split of --data.")
        String split;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
        Path json;

        /** The data, read after checking that {@code --json} can be written. */
        Dataset dataset() {
            if (json != null) OutputPaths.checkFile(json, "--json");
            return DatasetReader.read(data, split, ReadOptions.strict()).dataset();
        }

        /** Writes {@code figures} to {@code --json FILE} (atomically), when one is given. */
        void writeJson(Map<String, Object> figures) throws java.io.IOException {
            if (json == null) return;
            AtomicFiles.writeString(json, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        }
    }

    /** {@code rcnn4j bench speed}: inference time per image, split by pipeline stage. */
    @Command(name = "speed", mixinStandardHelpOptions = true, description = {
        "Inference time per image split by stage (preprocess, backbone, rpn_head, proposals,",
        "region_features, head, predictor, postprocess), after a warm-up; images are decoded before timing."
    })
    static final class Speed implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin Common common;

        @Option(names = "--images", defaultValue = "50", description = "Images timed (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--warmup", defaultValue = "5", description = "Images run before timing (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--proposals", paramLabel = "FILE", description = "Region proposals for a model on given proposals "
                + "(r-cnn, spp-net, fast-rcnn; default: selective search on each image, timed as the proposals stage).")
        Path proposals;

        @Mixin ClassifierOptions classifier;

        @Override
        public Integer call() throws Exception {
            Dataset dataset = common.dataset();
            List<ImageRecord> records = dataset.images().subList(0, Math.min(images + warmup, dataset.images().size()));
            StageTimes times = new StageTimes();
            try (Detector detector = Detector.load(common.model)) {
                ProposalsOption.apply(detector, proposals, dataset);
                classifier.apply(detector);
                int i = 0;
                for (ImageRecord im : records) {
                    RgbImage image = ImageDecoder.decode(dataset.imagePath(im));
                    detector.detect(image, im, i++ < warmup ? StageTimes.none() : times);
                }
            }
            Map<String, Double> ms = times.millisPerImage();
            double total = times.totalMillisPerImage();
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%d images (after %d warm-up), model %s%n", times.images(), warmup, common.model);
            out.println("| stage | ms/image | share |");
            out.println("|---|---|---|");
            for (Map.Entry<String, Double> e : ms.entrySet()) {
                out.printf(Locale.ROOT, "| %s | %.2f | %.1f %% |%n", e.getKey(), e.getValue(), 100 * e.getValue() / total);
            }
            double layers = ms.getOrDefault("backbone", 0.0) + ms.getOrDefault("rpn_head", 0.0) + ms.getOrDefault("head", 0.0)
                    + ms.getOrDefault("predictor", 0.0);
            out.printf(Locale.ROOT, "| total | %.2f | 100 %% |%n", total);
            out.printf(Locale.ROOT, "outside the backbone and head layers: %.1f %% of the total%n", 100 * (total - layers) / total);
            long peak = ResidentMemory.peakBytes();
            out.printf(Locale.ROOT, "peak resident memory of the process: %s%n", ResidentMemory.format(peak));
            out.flush();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("images", times.images());
            j.put("ms_per_image", ms);
            j.put("total_ms_per_image", total);
            j.put("outside_layers_share", (total - layers) / total);
            j.put("peak_rss_bytes", peak);
            common.writeJson(j);
            return 0;
        }
    }

    /** {@code rcnn4j bench train}: a training iteration against the backbone's own forward and backward. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = {
        "Training iteration time against the backbone's own forward + backward pass on the same batches,",
        "for a model directory's config and weights (SGD at a small rate: the cost does not depend on it)."
    })
    static final class Train implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin Common common;

        @Option(names = "--iterations", defaultValue = "20", description = "Iterations timed (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--warmup", defaultValue = "3", description = "Iterations run before timing (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--images-per-batch", defaultValue = "2", description = "Images per iteration (default: ${DEFAULT-VALUE}).")
        int imagesPerBatch;

        @Option(names = "--proposals", paramLabel = "FILE", description = "Region proposals of DATA for a model on given proposals "
                + "(r-cnn, spp-net, fast-rcnn; default: selective search on each image when first used, which then counts in the iteration time).")
        Path proposals;

        @Override
        public Integer call() throws Exception {
            if (iterations < 1 || warmup < 1) throw new UsageException("--iterations and --warmup: expected positive numbers");
            if (imagesPerBatch < 1) throw new UsageException("--images-per-batch: expected a positive number, got " + imagesPerBatch);
            Dataset dataset = common.dataset();
            TrainingSpeed.Result r;
            try (Detector detector = Detector.load(common.model)) {
                ProposalsOption.apply(detector, proposals, dataset);
                TrainingConfig d = TrainingConfig.defaults(warmup + iterations, 0);
                TrainingConfig solver = new TrainingConfig(d.iterations(), imagesPerBatch, SMALL_LR, d.momentum(), d.weightDecay(),
                        0, d.stepFractions(), d.gamma(), d.flipProbability(), d.seed(), 0, d.threads());
                r = TrainingSpeed.measure(detector.model(), dataset, solver, warmup, iterations);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%d iterations of %d images (after %d warm-up), model %s%n", r.iterations(), r.imagesPerBatch(), warmup, common.model);
            out.printf(Locale.ROOT, "training iteration:           %8.1f ms%n", r.iterationMs());
            out.printf(Locale.ROOT, "backbone forward + backward:  %8.1f ms%n", r.backboneMs());
            out.printf(Locale.ROOT, "iteration / backbone:         %8.2f%n", r.ratio());
            out.flush();
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("iterations", r.iterations());
            j.put("images_per_batch", r.imagesPerBatch());
            j.put("iteration_ms", r.iterationMs());
            j.put("backbone_forward_backward_ms", r.backboneMs());
            j.put("ratio", r.ratio());
            common.writeJson(j);
            return 0;
        }

        /** Keeps a trained model where it is while it is timed; SGD's cost does not depend on the rate. */
        static final float SMALL_LR = 1e-4f;
    }
}
