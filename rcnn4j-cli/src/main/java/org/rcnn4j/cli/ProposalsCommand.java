package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ProposalsFile;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.proposals.SelectiveSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j proposals}: writes a proposals file for every image of a dataset. */
@Command(
        name = "proposals",
        mixinStandardHelpOptions = true,
        description = {
            "Write region proposals for every image of DATA as a proposals file.",
            "Format:",
            "{\"images\": [{\"image_id\": ..., \"boxes\": [[x1, y1, x2, y2], ...], \"scores\": [...]}]},",
            "boxes in the original image's pixels, best first. --method selective-search runs selective search",
            "(Uijlings et al. 2013; fast mode as in R-CNN) on all cores; --method rpn uses a trained model's RPN."
        })
final class ProposalsCommand implements Callable<Integer> {
    static final String RPN = "rpn", SELECTIVE_SEARCH = "selective-search";

    @Spec CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "METHOD", description = "Proposal method: selective-search or rpn.")
    String method;

    @Option(names = "--mode", defaultValue = "fast", paramLabel = "fast|quality",
            description = "Selective search mode (default: ${DEFAULT-VALUE}): fast = R-CNN's (HSV, Lab; k 50, 100; 2 strategies), "
                    + "quality = Uijlings et al.'s (5 colour spaces, 4 k, 4 strategies; about 10x slower).")
    String mode;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of selective search's randomised ranking (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Images processed at once by selective search (default: the number of processors).")
    Integer threads;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Model directory whose RPN proposes (for --method rpn).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DATA", description = "Images: COCO JSON or VOC directory.")
    Path data;

    @Option(names = "--split", paramLabel = "S", description = "VOC split of --data.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Proposals JSON file to write.")
    Path out;

    @Option(names = "--max", paramLabel = "N",
            description = "Keep the N best proposals per image (default: 2000 for selective-search, as R-CNN; 300 for rpn, Faster R-CNN's test-time number).")
    Integer max;

    @Override
    public Integer call() throws Exception {
        if (!method.equals(RPN) && !method.equals(SELECTIVE_SEARCH)) {
            throw new UsageException("--method: expected selective-search or rpn, got '" + method + "'");
        }
        boolean ss = method.equals(SELECTIVE_SEARCH);
        int n = max != null ? max : ss ? 2000 : 300;
        if (n < 1) throw new UsageException("--max: expected a positive number, got " + n);
        if (!ss && model == null) throw new UsageException("--method rpn needs --model MODEL_DIR");
        if (ss && model != null) throw new UsageException("--model is for --method rpn; selective search needs no model");
        SelectiveSearch.Mode ssMode = switch (mode) {
            case "fast" -> SelectiveSearch.Mode.FAST;
            case "quality" -> SelectiveSearch.Mode.QUALITY;
            default -> throw new UsageException("--mode: expected fast or quality, got '" + mode + "'");
        };
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (nThreads < 1) throw new UsageException("--threads: expected a positive number, got " + nThreads);
        if (Files.isDirectory(out)) throw new UsageException(out + ": is a directory; --out names the proposals file to write");
        OutputPaths.checkFile(out, "--out");
        Dataset dataset = DatasetReader.read(data, split, ReadOptions.strict()).dataset();
        PrintWriter err = spec.commandLine().getErr();
        Map<Long, Proposals> all = ss
                ? selectiveSearch(dataset, new SelectiveSearch(ssMode, n, seed), nThreads, err)
                : rpn(model, dataset, n, err);
        ProposalsFile.write(all, out);
        long total = all.values().stream().mapToLong(Proposals::size).sum();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "wrote %d proposals for %d images (%.1f per image) to %s%n", total, all.size(),
                all.isEmpty() ? 0.0 : (double) total / all.size(), out);
        stdout.flush();
        return 0;
    }

    /**
     * Selective search over the dataset's images on a fixed pool of threads. Results keep the
     * dataset's order, and each image's ranking is seeded by (seed, image id), so the file does not
     * depend on the number of threads.
     */
    static Map<Long, Proposals> selectiveSearch(Dataset dataset, SelectiveSearch search, int threads, PrintWriter err)
            throws InterruptedException {
        List<ImageRecord> images = dataset.images();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, images.size())), r -> {
            Thread t = new Thread(r, "selective-search");
            t.setDaemon(true);
            return t;
        });
        Map<Long, Proposals> all = new LinkedHashMap<>();
        try (Progress progress = new Progress(err, "proposals", images.size(), "images")) {
            List<Future<Proposals>> futures = new ArrayList<>(images.size());
            for (ImageRecord im : images) {
                futures.add(pool.submit(() -> {
                    Proposals p = search.propose(ImageDecoder.decode(dataset.imagePath(im)), im.id());
                    progress.step();
                    return p;
                }));
            }
            for (int i = 0; i < images.size(); i++) {
                try {
                    all.put(images.get(i).id(), futures.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return all;
    }

    /**
     * The best {@code max} proposals of a trained model's RPN for each image, one image after
     * another (libtorch uses its own threads). When the model keeps fewer proposals at test time
     * than asked for, it is loaded keeping {@code max} for this run (its weights do not depend on
     * the number), so recall at 1000 proposals can be measured on a model that detects on 300.
     */
    static Map<Long, Proposals> rpn(Path model, Dataset dataset, int max, PrintWriter err) {
        ModelDirectory.Description d = ModelDirectory.describe(model);
        int kept = d.config().testProposals();
        if (kept == 0) {
            throw new UsageException("--model: " + model + " holds a " + d.detector()
                    + " model, which has no Region Proposal Network; proposals by rpn need a faster-rcnn or fpn model");
        }
        if (kept < max) {
            err.printf(Locale.ROOT, "note: the RPN keeps %d proposals per image for this run (the model's rpn.postNmsTest is %d)%n", max, kept);
        }
        Map<Long, Proposals> all = new LinkedHashMap<>();
        try (Detector detector = Detector.load(model, c -> kept < max ? c.withTestProposals(max) : c);
                Progress progress = new Progress(err, "proposals", dataset.images().size(), "images")) {
            for (ImageRecord im : dataset.images()) {
                all.put(im.id(), best(detector.propose(ImageDecoder.decode(dataset.imagePath(im)), im), max));
                progress.step();
            }
        }
        return all;
    }

    /** The first {@code n} proposals: the best, since {@link Proposals} are in descending score order. */
    static Proposals best(Proposals p, int n) {
        if (p.size() <= n) return p;
        return new Proposals(Arrays.copyOf(p.boxes(), 4 * n), Arrays.copyOf(p.scores(), n));
    }
}
