package org.rcnn4j.detector.torchvision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.data.Category;
import org.rcnn4j.io.BadInputException;
import org.rcnn4j.io.torch.StateDict;
import org.rcnn4j.modeling.backbone.Backbone;
import org.rcnn4j.modeling.backbone.BackboneWeights;

/**
 * torchvision's ImageNet {@code resnet50} imported as {@code resnet50-frozen-bn}: its C2..C5 equal
 * torchvision's {@code layer1..layer4} in eval mode (BatchNorm perturbed, so that folding it is
 * tested), and files of another architecture are refused naming a key. The torchvision half is
 * skipped without Debian's python3-torchvision.
 */
class TorchvisionImportTest {
    /** Writes a seeded resnet50 state dict and its layer1..layer4 outputs on a seeded 1 × 3 × 64 × 96 input. */
    private static final String SCRIPT = String.join("\n",
            "import sys, torch, torchvision",
            "out = sys.argv[1]",
            "torch.manual_seed(0)",
            "m = torchvision.models.resnet50().eval()",
            "g = torch.Generator().manual_seed(1)",
            "with torch.no_grad():",
            "    for b in m.modules():",
            "        if isinstance(b, torch.nn.BatchNorm2d):",
            "            n = b.num_features",
            "            b.running_mean.copy_(0.2 * torch.randn(n, generator=g))",
            "            b.running_var.copy_(0.5 + 1.5 * torch.rand(n, generator=g))",
            "            b.weight.copy_(0.6 + 0.8 * torch.rand(n, generator=g))",
            "            b.bias.copy_(0.1 * torch.randn(n, generator=g))",
            "torch.save(m.state_dict(), out + '/resnet50.pth')",
            "x = torch.rand(1, 3, 64, 96, generator=g)",
            "x.numpy().astype('<f4').tofile(out + '/input.f32')",
            "with torch.no_grad():",
            "    y = m.maxpool(m.relu(m.bn1(m.conv1(x))))",
            "    for k, layer in enumerate([m.layer1, m.layer2, m.layer3, m.layer4]):",
            "        y = layer(y)",
            "        y.numpy().astype('<f4').tofile(out + '/C%d.f32' % (k + 2))");

    @TempDir Path dir;

    @Test
    void resnet50StagesEqualTorchvisions() throws Exception {
        assumeTrue(python("-c", "import torchvision"), "torchvision is not installed: apt-get install python3-torchvision");
        assertTrue(python("-c", SCRIPT, dir.toString()), "the torchvision script ran");
        try (NDManager m = NDManager.newBaseManager()) {
            Backbone b = TorchvisionImport.resnet50(StateDict.read(dir.resolve("resnet50.pth")), TorchvisionImport.DEFAULT_BN_EPS, m);
            Path saved = dir.resolve("r50.weights");
            BackboneWeights.save(b, saved);
            Backbone loaded = BackboneWeights.load(saved, m);
            assertEquals("resnet50-frozen-bn", loaded.name());
            NDArray x = m.create(floats(dir.resolve("input.f32")), new Shape(1, 3, 64, 96));
            var maps = loaded.forwardStages(new ParameterStore(m, false), x, false, List.of("C2", "C3", "C4", "C5"));
            for (String stage : List.of("C2", "C3", "C4", "C5")) {
                float[] theirs = floats(dir.resolve(stage + ".f32"));
                float[] ours = maps.get(stage).toFloatArray();
                assertEquals(theirs.length, ours.length, stage);
                double scale = 0;
                for (float v : theirs) scale = Math.max(scale, Math.abs(v));
                double worst = 0;
                for (int i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
                assertTrue(worst <= 1e-4 * scale, stage + ": largest difference " + worst + " against values up to " + scale);
            }
        }
    }

    @Test
    void anotherArchitectureIsRefusedByKey() throws Exception {
        Path file = Path.of("src/test/resources/torch/state_dict.pth");
        StateDict dict = StateDict.read(file);
        try (NDManager m = NDManager.newBaseManager()) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> TorchvisionImport.resnet50(dict, TorchvisionImport.DEFAULT_BN_EPS, m));
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("bn1.weight: no such tensor"), e.getMessage());
        }
        BadInputException e = assertThrows(BadInputException.class, () -> TorchvisionImport.fasterRcnnResnet50Fpn(dict, 0f));
        assertTrue(e.getMessage().contains("roi_heads.box_predictor.cls_score.weight"), e.getMessage());
    }

    @Test
    void cocoCategoriesAreTorchvisionsNumbering() {
        List<Category> coco = TorchvisionImport.cocoCategories();
        assertEquals(90, coco.size());
        assertEquals(new Category(1, "person"), coco.get(0));
        assertEquals(new Category(90, "toothbrush"), coco.get(89));
        int[] skipped = {12, 26, 29, 30, 45, 66, 68, 69, 71, 83};
        for (int id : skipped) assertEquals(new Category(id, "N/A"), coco.get(id - 1));
        assertEquals(skipped.length, coco.stream().filter(c -> c.name().equals("N/A")).count());
    }

    private static float[] floats(Path file) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private static boolean python(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "/usr/bin/python3";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
