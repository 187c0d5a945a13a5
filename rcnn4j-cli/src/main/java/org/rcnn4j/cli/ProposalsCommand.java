package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.FasterRcnnConfig;
import org.rcnn4j.detector.FpnConfig;
import org.rcnn4j.modeling.sampling.Proposals;
import org.rcnn4j.preprocess.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rcnn4j proposals}: writes a proposals file for every image of a dataset. */
@Command(
        name = "proposals",
        mixinStandardHelpOptions = true,
        description = {
            "Write region proposals for every image of DATA as a proposals file.",
            "Format:",
            "{\"images\": [{\"image_id\": ..., \"boxes\": [[x1, y1, x2, y2], ...], \"scores\": [...]}]},",
            "boxes in the original image's pixels, best first. --method rpn uses a trained model's RPN."
        })
final class ProposalsCommand implements Callable<Integer> {
    static final String RPN = "rpn", SELECTIVE_SEARCH = "selective-search";

    @Spec CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "rpn", description = "Proposal method: rpn (this build).")
    String method;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Model directory whose RPN proposes (for --method rpn).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Images: COCO JSON or VOC directory.")
    Path data;

    @Option(names = "--split", paramLabel = "S", description = "VOC split of --data.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Proposals JSON file to write.")
    Path out;

    @Option(names = "--max", defaultValue = "300", paramLabel = "N", description = "Keep the N best proposals per image (default: ${DEFAULT-VALUE}, Faster R-CNN's test-time number).")
    int max;

    @Override
    public Integer call() throws Exception {
        if (method.equals(SELECTIVE_SEARCH)) {
            throw new UsageException("--method: this build has only 'rpn' (a trained model's Region Proposal Network); "
                    + "selective search is not in this build");
        }
        if (!method.equals(RPN)) throw new UsageException("--method: expected rpn or selective-search, got '" + method + "'");
        if (model == null) throw new UsageException("--method rpn needs --model MODEL_DIR");
        if (max < 1) throw new UsageException("--max: expected a positive number, got " + max);
        if (Files.isDirectory(out)) throw new UsageException(out + ": is a directory; --out names the proposals file to write");
        Dataset dataset = DatasetReader.read(data, split, ReadOptions.strict()).dataset();
        PrintWriter err = spec.commandLine().getErr();
        Map<Long, Proposals> all = new LinkedHashMap<>();
        long total = 0;
        try (Detector detector = Detector.load(model)) {
            int kept = detector.description().config() instanceof FasterRcnnConfig c ? c.rpn().postNmsTest()
                    : detector.description().config() instanceof FpnConfig f ? f.rpn().postNmsTest() : max;
            if (kept < max) {
                err.printf(Locale.ROOT, "note: the model's RPN keeps at most %d proposals per image (config rpn.postNmsTest)%n", kept);
            }
            try (Progress progress = new Progress(err, "proposals", dataset.images().size(), "images")) {
                for (ImageRecord im : dataset.images()) {
                    Proposals p = best(detector.propose(ImageDecoder.decode(dataset.imagePath(im)), im), max);
                    all.put(im.id(), p);
                    total += p.size();
                    progress.step();
                }
            }
        }
        ProposalsFile.write(all, out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "wrote %d proposals for %d images (%.1f per image) to %s%n", total, all.size(),
                all.isEmpty() ? 0.0 : (double) total / all.size(), out);
        stdout.flush();
        return 0;
    }

    /** The first {@code n} proposals: the best, since {@link Proposals} are in descending score order. */
    static Proposals best(Proposals p, int n) {
        if (p.size() <= n) return p;
        return new Proposals(Arrays.copyOf(p.boxes(), 4 * n), Arrays.copyOf(p.scores(), n));
    }
}
