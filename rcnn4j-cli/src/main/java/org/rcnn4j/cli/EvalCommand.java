package org.rcnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.detector.DatasetDetector;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.evaluation.CocoEvaluation;
import org.rcnn4j.evaluation.CocoEvaluator;
import org.rcnn4j.evaluation.PrecisionRecall;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.evaluation.ResultsReader;
import org.rcnn4j.evaluation.ResultsWriter;
import org.rcnn4j.evaluation.VocEvaluation;
import org.rcnn4j.evaluation.VocEvaluator;
import org.rcnn4j.evaluation.VocMetric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j eval}: scores detections against ground truth with the VOC or COCO metrics. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate detections against ground truth: read from --dt, or made by --model on DATA's images.",
            "DATA: a COCO JSON file or a Pascal VOC directory. RESULTS: a COCO results JSON",
            "([{image_id, category_id, bbox: [x, y, w, h], score}]) or a directory of VOC",
            "comp4_det_<split>_<class>.txt files. Reads annotations and results only: no image is opened.",
            "--metric ar scores region proposals instead: those of --proposals FILE, or the best 1000 per image",
            "of --model's RPN (average recall over IoU 0.50:0.95 at 100, 300 and 1000 proposals, by area)."
        })
final class EvalCommand implements Callable<Integer> {
    enum Metric { voc07, voc, coco, ar }

    @Spec CommandSpec spec;

    @Option(names = {"--gt", "--data"}, required = true, paramLabel = "DATA", description = "Ground truth: COCO JSON or VOC directory.")
    Path gt;

    @Option(names = "--dt", paramLabel = "RESULTS", description = "Detections: COCO results JSON or VOC results directory.")
    Path dt;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Detect with this model on DATA's images instead of reading --dt.")
    Path model;

    @Option(names = "--proposals", paramLabel = "FILE", description = "Region proposals of DATA's images, for a --model on given proposals (r-cnn, spp-net, fast-rcnn; default: selective search on each image).")
    Path proposals;

    @Option(names = "--metric", required = true, description = "voc07 (11-point AP), voc (area under the envelope, VOC2010+), coco (AP .50:.95 ...) "
                    + "or ar (average recall of region proposals).")
    Metric metric;

    @Option(names = "--split", paramLabel = "S", description = "VOC split (ImageSets/Main/S.txt).")
    String split;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write one precision/recall PNG per class into DIR.")
    Path plots;

    @Mixin ClassifierOptions classifier;

    @Option(names = "--save-detections", paramLabel = "FILE", description = "With --model: also write the detections "
            + "it scored as a COCO results JSON, so that another metric can read them with --dt instead of detecting again.")
    Path saveDetections;

    @Option(names = "--skip-bad", description = "Skip and count bad ground-truth records instead of stopping at the first.")
    boolean skipBad;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (plots != null) OutputPaths.checkDirectory(plots, "--plots");
        if (saveDetections != null) OutputPaths.checkFile(saveDetections, "--save-detections");
        ReadResult read = DatasetReader.read(gt, split, skipBad ? ReadOptions.skipping() : ReadOptions.strict());
        Dataset dataset = read.dataset();
        reportSkipped(read, spec.commandLine().getErr());
        if (metric == Metric.ar) return proposalRecall(dataset, out);
        if ((dt == null) == (model == null)) throw new UsageException("give either --dt RESULTS or --model MODEL_DIR");
        List<Detection> detections;
        if (model != null) {
            try (Detector detector = Detector.load(model)) {
                ProposalsOption.apply(detector, proposals, dataset);
                classifier.apply(detector);
                try (Progress progress = new Progress(spec.commandLine().getErr(), "detect", dataset.images().size(), "images")) {
                    detections = DatasetDetector.detectAll(detector, dataset, progress::advanceTo);
                }
            }
            if (saveDetections != null) ResultsWriter.writeCoco(detections, dataset, saveDetections);
        } else {
            if (saveDetections != null) throw new UsageException("--save-detections: goes with --model (--dt's detections are in a file already)");
            if (proposals != null) throw new UsageException("--proposals: goes with --model (detections of --dt are taken as they are)");
            if (classifier.classifier != null || classifier.noBoxRegression) {
                throw new UsageException("--classifier and --no-box-regression go with --model");
            }
            detections = ResultsReader.read(dt, dataset, split);
        }
        Map<String, Object> report;
        List<PrecisionRecall> curves;
        if (metric == Metric.coco) {
            CocoEvaluation e = CocoEvaluator.evaluate(dataset, detections);
            report = cocoReport(e);
            curves = new ArrayList<>(e.curves().values());
        } else {
            VocEvaluation e = new VocEvaluator().evaluate(dataset, detections,
                    metric == Metric.voc07 ? VocMetric.VOC07 : VocMetric.VOC);
            report = vocReport(metric.name(), e);
            curves = e.perClass();
        }
        if (json) {
            out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.print(table(report, dataset, detections.size()));
        }
        if (plots != null) {
            List<Path> files = PrCurvePlotter.write(curves, metric.name(), plots);
            // Keep stdout one JSON object under --json: the note goes to stderr then.
            PrintWriter note = json ? spec.commandLine().getErr() : out;
            note.println("wrote " + files.size() + " precision/recall plots to " + plots);
            note.flush();
        }
        out.flush();
        return 0;
    }

    /**
     * {@code --metric ar}: the proposals of {@code --proposals FILE}, or the best
     * {@link #AR_PROPOSALS} per image of {@code --model}'s RPN, against the ground truth.
     */
    private int proposalRecall(Dataset dataset, PrintWriter out) throws Exception {
        if (dt != null) throw new UsageException("--metric ar scores region proposals: give --proposals FILE or --model MODEL_DIR, not --dt");
        if ((proposals == null) == (model == null)) {
            throw new UsageException("--metric ar: give either --proposals FILE (proposals to score) or --model MODEL_DIR (an RPN model)");
        }
        if (plots != null) throw new UsageException("--plots: precision/recall curves are for detections, not --metric ar");
        if (saveDetections != null) throw new UsageException("--save-detections: --metric ar scores proposals, not detections");
        Map<Long, Proposals> boxes = proposals != null ? ProposalsFile.read(proposals, dataset)
                : ProposalsCommand.rpn(model, dataset, AR_PROPOSALS, spec.commandLine().getErr());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("metric", "ar");
        report.putAll(ProposalRecall.summarize(dataset, boxes));
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            out.printf(Locale.ROOT, "%d images, %d objects, %.1f proposals per image%n", dataset.images().size(),
                    dataset.numAnnotations(), boxes.values().stream().mapToInt(Proposals::size).average().orElse(0));
            out.printf(Locale.ROOT, "%-9s  %7s  %7s  %7s  %7s  %9s%n", "proposals", "AR", "ARs", "ARm", "ARl", "R@0.5");
            for (int n : ProposalRecall.TOP_NS) {
                out.printf(Locale.ROOT, "%-9d  %7.4f  %7.4f  %7.4f  %7.4f  %9.4f%n", n, report.get("AR@" + n),
                        report.get("ARs@" + n), report.get("ARm@" + n), report.get("ARl@" + n), report.get("R50@" + n));
            }
        }
        out.flush();
        return 0;
    }

    /** Proposals per image taken from a model's RPN for {@code --metric ar}: the most {@link ProposalRecall#summarize} scores (1000). */
    static final int AR_PROPOSALS = ProposalRecall.TOP_NS[ProposalRecall.TOP_NS.length - 1];

    /** One line for the count and the first few reasons of what {@code --skip-bad} skipped. */
    static void reportSkipped(ReadResult read, PrintWriter err) {
        if (read.skipped() == 0) return;
        err.println("skipped " + read.skipped() + " bad records in " + read.dataset().source());
        read.skippedMessages().stream().limit(5).forEach(m -> err.println("  " + m));
        err.flush();
    }

    static Map<String, Object> vocReport(String metric, VocEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("mAP", e.mAP());
        m.put("per_class", e.apByClass());
        return m;
    }

    /** The 12 numbers of the COCO API's summarize(), under the names README's {@code eval --json} documents. */
    static final String[] COCO_KEYS = CocoEvaluation.STAT_NAMES.toArray(new String[0]);

    static Map<String, Object> cocoReport(CocoEvaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", "coco");
        m.putAll(e.statsByName());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> report, Dataset dataset, int numDetections) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d images, %d objects, %d classes, %d detections%n",
                dataset.images().size(), dataset.numAnnotations(), dataset.numClasses(), numDetections));
        if ("coco".equals(report.get("metric"))) {
            String[] labels = {
                "IoU=0.50:0.95 | area=   all | maxDets=100", "IoU=0.50      | area=   all | maxDets=100",
                "IoU=0.75      | area=   all | maxDets=100", "IoU=0.50:0.95 | area= small | maxDets=100",
                "IoU=0.50:0.95 | area=medium | maxDets=100", "IoU=0.50:0.95 | area= large | maxDets=100",
                "IoU=0.50:0.95 | area=   all | maxDets=  1", "IoU=0.50:0.95 | area=   all | maxDets= 10",
                "IoU=0.50:0.95 | area=   all | maxDets=100", "IoU=0.50:0.95 | area= small | maxDets=100",
                "IoU=0.50:0.95 | area=medium | maxDets=100", "IoU=0.50:0.95 | area= large | maxDets=100"
            };
            for (int i = 0; i < COCO_KEYS.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-5s @[%s] = %7.4f%n", COCO_KEYS[i], labels[i], (Double) report.get(COCO_KEYS[i])));
            }
        } else {
            Map<String, Double> perClass = (Map<String, Double>) report.get("per_class");
            int w = 5;
            for (String k : perClass.keySet()) w = Math.max(w, k.length());
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %s AP%n", "class", report.get("metric")));
            for (Map.Entry<String, Double> en : perClass.entrySet()) {
                sb.append(String.format(Locale.ROOT, "%-" + w + "s  %.4f%n", en.getKey(), en.getValue()));
            }
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %.4f%n", "mAP", (Double) report.get("mAP")));
        }
        return sb.toString();
    }
}
