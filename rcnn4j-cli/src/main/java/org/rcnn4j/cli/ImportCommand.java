package org.rcnn4j.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rcnn4j.data.Category;
import org.rcnn4j.detector.Fpn;
import org.rcnn4j.detector.ModelDirectory;
import org.rcnn4j.detector.torchvision.TorchvisionImport;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.StateDict;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;
import org.rcnn4j.preprocess.Normalize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rcnn4j import}: torchvision's weights (a {@code .pth} or safetensors file) as an rcnn4j model or backbone. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import torchvision's weights, read without Python (torch.save files of any torch version, or safetensors).",
            "--arch fasterrcnn_resnet50_fpn writes a model directory that detect, eval and bench use like any other,",
            "with torchvision's inference rules (its transform, anchors, RPN and RoIAlign settings): the same detections.",
            "--arch resnet50 (ImageNet classification weights) writes a backbone weights file for",
            "'train --backbone resnet50-frozen-bn --backbone-weights FILE'. BatchNorm is frozen and folded into the",
            "convolutions, as torchvision's detection backbone freezes it. Nothing is downloaded: fetch the file yourself."
        })
final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "LIBRARY", description = "Where the weights come from: torchvision.")
    String from;

    @Option(names = "--arch", required = true, paramLabel = "ARCH",
            description = "The architecture the weights are for: fasterrcnn_resnet50_fpn or resnet50.")
    String arch;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "The .pth (torch.save) or .safetensors file.")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "PATH",
            description = "The model directory to write (fasterrcnn_resnet50_fpn) or the backbone weights file (resnet50).")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line, for classes 1..K (default for 91 outputs: COCO's, as torchvision numbers them, N/A slots included).")
    Path labels;

    @Option(names = "--bn-eps", paramLabel = "EPS",
            description = "The frozen BatchNorm's epsilon (default: 0 for fasterrcnn_resnet50_fpn, as torchvision loads its COCO weights; 1e-5 for resnet50).")
    Float bnEps;

    @Option(names = "--overwrite", description = "Replace an existing --out.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (!"torchvision".equals(from)) throw new UsageException("--from: '" + from + "' is not supported; the one source is torchvision");
        if (!TorchvisionImport.ARCHITECTURES.contains(arch)) {
            throw new UsageException("--arch: '" + arch + "' is not supported; expected one of " + String.join(", ", TorchvisionImport.ARCHITECTURES));
        }
        if (bnEps != null && !(bnEps >= 0 && Float.isFinite(bnEps))) throw new UsageException("--bn-eps: must be a number >= 0, got " + bnEps);
        if (!Files.isRegularFile(weights)) throw new BadInputException(weights, null, "not found");
        boolean detector = arch.equals("fasterrcnn_resnet50_fpn");
        if (detector) {
            OutputPaths.checkDirectory(out, "--out");
        } else {
            OutputPaths.checkFile(out, "--out");
            if (!overwrite && Files.exists(out)) throw new UsageException(out + ": exists; choose another --out or pass --overwrite");
            if (labels != null) throw new UsageException("--labels: only for fasterrcnn_resnet50_fpn; resnet50 imports a backbone without classes");
        }
        StateDict dict = StateDict.read(weights);
        PrintWriter stdout = spec.commandLine().getOut();
        if (detector) {
            importDetector(dict, bnEps == null ? TorchvisionImport.COCO_V1_BN_EPS : bnEps, stdout);
        } else {
            try (NDManager manager = NDManager.newBaseManager()) {
                Backbone backbone = TorchvisionImport.resnet50(dict, bnEps == null ? TorchvisionImport.DEFAULT_BN_EPS : bnEps, manager);
                BackboneWeights.save(backbone, out);
            }
            stdout.printf(Locale.ROOT, "wrote %s: backbone resnet50-frozen-bn from %d tensors of %s%n", out, dict.size(), weights);
        }
        stdout.flush();
        return 0;
    }

    private void importDetector(StateDict dict, float eps, PrintWriter stdout) throws IOException {
        int k = TorchvisionImport.numClasses(dict);
        List<Category> categories = categories(k);
        try (Fpn model = TorchvisionImport.fasterRcnnResnet50Fpn(dict, eps); OutputDirectory dir = OutputDirectory.create(out, overwrite)) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("imported_from", weights.toAbsolutePath().normalize().toString());
            facts.put("library", "torchvision");
            facts.put("arch", arch);
            facts.put("bn_eps", eps);
            try {
                ModelDirectory.save(dir.path(), model, categories, Normalize.imagenet(), facts);
                dir.commit();
            } catch (IOException | RuntimeException e) {
                Exception r = dir.reported(e);
                if (r instanceof RuntimeException re) throw re;
                throw (IOException) r;
            }
        }
        stdout.printf(Locale.ROOT, "wrote %s: fasterrcnn_resnet50_fpn, %d classes, from %d tensors of %s%n", out, k, dict.size(), weights);
    }

    /** COCO's names for 90 classes, the --labels file's otherwise (one name a line, K lines). */
    private List<Category> categories(int k) throws IOException {
        if (labels == null) {
            if (k == 90) return TorchvisionImport.cocoCategories();
            List<Category> out = new ArrayList<>();
            for (int i = 1; i <= k; i++) out.add(new Category(i, "class-" + i));
            return out;
        }
        if (!Files.isRegularFile(labels)) throw new BadInputException(labels, null, "not found");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(labels, StandardCharsets.UTF_8)) if (!line.isBlank()) names.add(line.strip());
        if (names.size() != k) {
            throw new BadInputException(labels, null, names.size() + " class names for a model of " + k
                    + " classes (cls_score has " + (k + 1) + " outputs, the first the background)");
        }
        List<Category> out = new ArrayList<>();
        for (int i = 0; i < k; i++) out.add(new Category(i + 1, names.get(i)));
        return out;
    }
}
