package org.rcnn4j.detector.torchvision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.detector.Fpn;
import org.rcnn4j.io.torch.StateDict;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.modeling.postprocess.ImageDetections;
import org.rcnn4j.preprocess.DetectionBatch;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.Normalize;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.preprocess.TorchvisionResize;

/**
 * Issue 18's parity test: torchvision's own {@code fasterrcnn_resnet50_fpn} (Debian's
 * python3-torchvision), seeded and randomly initialised by {@code resources/torchvision/reference.py},
 * against rcnn4j's import of its state dict, stage by stage on the same images (one 1500 × 600, its
 * longer side beyond the 1333 cap; one 640 × 480): the transform, the pyramid, the proposals and
 * the detections. Without torchvision the test is skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TorchvisionParityTest {
    static final Path SCRIPT = Path.of("src/test/resources/torchvision/reference.py");

    /** Static: JUnit injects an instance {@code @TempDir} only before each test, after {@code @BeforeAll}. */
    @TempDir static Path temp;
    /** Where the reference is: a fresh one in {@link #temp}, or RCNN4J_TORCHVISION_REFERENCE's (reference.py's output kept between runs). */
    Path dir;
    JsonNode reference;
    Fpn model;

    @BeforeAll
    void reference() throws Exception {
        assumeTrue(runs("/usr/bin/python3", "-c", "import torchvision"),
                "torchvision is not installed: apt-get install python3-torchvision");
        String kept = System.getenv("RCNN4J_TORCHVISION_REFERENCE");
        dir = kept != null && Files.isRegularFile(Path.of(kept, "reference.json")) ? Path.of(kept) : temp;
        if (dir == temp) {
            Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), dir.toString(), "0")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("reference.log").toFile()).start();
            assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, () -> "reference.py failed: " + log());
        }
        reference = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        model = TorchvisionImport.fasterRcnnResnet50Fpn(StateDict.read(dir.resolve("model.pth")), TorchvisionImport.DEFAULT_BN_EPS);
    }

    @AfterAll
    void close() {
        if (model != null) model.close();
    }

    @Test
    void legacyFileHoldsTheSameTensors() {
        StateDict zip = StateDict.read(dir.resolve("model.pth"));
        StateDict legacy = StateDict.read(dir.resolve("model-legacy.pth"));
        assertEquals(zip.keys(), legacy.keys());
        for (String k : zip.keys()) {
            assertArrayEquals(zip.get(k).shape(), legacy.get(k).shape(), k);
            if (!k.endsWith("num_batches_tracked")) assertArrayEquals(zip.get(k).toFloats(), legacy.get(k).toFloats(), k);
        }
    }

    @Test
    void transformMatches() throws IOException {
        for (JsonNode im : reference.get("images")) {
            DetectionBatch ours = batch(im);
            String name = im.get("file").asText();
            assertEquals(im.get("resized").get(0).asInt(), ours.image(0).height(), name + " resized height");
            assertEquals(im.get("resized").get(1).asInt(), ours.image(0).width(), name + " resized width");
            assertEquals(im.get("padded").get(0).asInt(), ours.height(), name + " padded height");
            assertEquals(im.get("padded").get(1).asInt(), ours.width(), name + " padded width");
            float[] theirs = torchvisionBatch(im);
            double worst = 0;
            for (int i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - ours.pixels()[i]));
            assertTrue(worst < 1e-5, name + ": largest pixel difference " + worst);
        }
    }

    @Test
    void pyramidMatches() throws IOException {
        String[] levels = {"0", "1", "2", "3", "pool"};
        try (NDManager sub = model.manager().newSubManager()) {
            for (JsonNode im : reference.get("images")) {
                List<NDArray> maps = model.features().forward(new ParameterStore(sub, false), input(im, sub), false);
                for (int l = 0; l < levels.length; l++) {
                    JsonNode level = im.get("pyramid").get(levels[l]);
                    long[] shape = maps.get(l).getShape().getShape();
                    assertEquals(level.get("shape").get(1).asLong(), shape[2], levels[l] + " height");
                    assertEquals(level.get("shape").get(2).asLong(), shape[3], levels[l] + " width");
                    float[] ours = maps.get(l).toFloatArray();
                    double tolerance = 1e-4 * level.get("std").asDouble();
                    for (int i = 0; i < level.get("values").size(); i++) {
                        JsonNode at = level.get("positions").get(i);
                        int idx = (int) ((at.get(0).asLong() * shape[2] + at.get(1).asLong()) * shape[3] + at.get(2).asLong());
                        assertEquals(level.get("values").get(i).asDouble(), ours[idx], tolerance,
                                im.get("file").asText() + " level " + levels[l] + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void proposalsMatch() throws IOException {
        try (NDManager sub = model.manager().newSubManager()) {
            for (JsonNode im : reference.get("images")) {
                Proposals ours = model.propose(new ParameterStore(sub, false), input(im, sub), batch(im).images()).get(0);
                float[] theirs = boxes(im.get("proposals"));
                assertEquals(Boxes.count(theirs), Boxes.count(ours.boxes()), im.get("file").asText() + " proposals kept");
                int matched = 0, n = Math.min(300, Boxes.count(theirs));
                for (int i = 0; i < n; i++) if (bestIoU(theirs, i, ours.boxes()) >= 0.99) matched++;
                assertTrue(matched >= 0.98 * n, im.get("file").asText() + ": " + matched + " of torchvision's top " + n
                        + " proposals found at IoU >= 0.99");
            }
        }
    }

    @Test
    void detectionsMatch() throws IOException {
        try (NDManager sub = model.manager().newSubManager()) {
            for (JsonNode im : reference.get("images")) {
                RgbImage image = ImageDecoder.decode(dir.resolve(im.get("file").asText()));
                ImageDetections ours = model.detect(new ParameterStore(sub, false), sub, image, record(im), Normalize.imagenet(),
                        StageTimes.none());
                float[] theirs = boxes(im.get("boxes"));
                int n = Math.min(50, Boxes.count(theirs)), matched = 0, exact = 0;
                List<String> missed = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int label = im.get("labels").get(i).asInt();
                    double score = im.get("scores").get(i).asDouble();
                    boolean found = false;
                    for (int j = 0; j < ours.scores().length && !found; j++) {
                        found = ours.classes()[j] == label && Math.abs(ours.scores()[j] - score) <= 0.01
                                && iou(theirs, i, ours.boxes(), j) >= 0.9;
                        if (found && Math.abs(ours.scores()[j] - score) <= 1e-4 && maxDifference(theirs, i, ours.boxes(), j) <= 0.01) {
                            exact++;
                        }
                    }
                    if (found) matched++;
                    else missed.add(String.format(Locale.ROOT, "#%d label %d score %.3f", i, label, score));
                }
                assertTrue(n >= 20, "torchvision detected " + n + " objects; the weights do not spread scores");
                // The criterion: same label, IoU >= 0.9, score within 0.01 for 95 % of the top 50.
                assertTrue(matched >= 0.95 * n, im.get("file").asText() + ": " + matched + " of torchvision's top " + n
                        + " found; missed " + missed);
                // What the import achieves: corners within 0.01 pixels and scores within 1e-4 (measured 2026-12-04:
                // within 5e-4 pixels and 2e-6) for nine in ten.
                assertTrue(exact >= 0.9 * n, im.get("file").asText() + ": " + exact + " of " + n + " within 0.01 px and 1e-4");
            }
        }
    }

    private DetectionBatch batch(JsonNode im) throws IOException {
        RgbImage image = ImageDecoder.decode(dir.resolve(im.get("file").asText()));
        return TorchvisionResize.batch(image, record(im), Normalize.imagenet(), 800, 1333, 32);
    }

    private static ImageRecord record(JsonNode im) {
        return new ImageRecord(1, im.get("file").asText(), im.get("file").asText(), im.get("width").asInt(), im.get("height").asInt(),
                List.of());
    }

    /** torchvision's own network input of an image (3 × padded H × padded W). */
    private float[] torchvisionBatch(JsonNode im) throws IOException {
        String name = im.get("file").asText().replace("image-", "batch-").replace(".png", ".f32");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private NDArray input(JsonNode im, NDManager sub) throws IOException {
        return sub.create(torchvisionBatch(im), new Shape(1, 3, im.get("padded").get(0).asLong(), im.get("padded").get(1).asLong()));
    }

    private static float[] boxes(JsonNode rows) {
        float[] out = new float[4 * rows.size()];
        for (int i = 0; i < rows.size(); i++) for (int c = 0; c < 4; c++) out[4 * i + c] = (float) rows.get(i).get(c).asDouble();
        return out;
    }

    private static double maxDifference(float[] a, int i, float[] b, int j) {
        double d = 0;
        for (int c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[4 * i + c] - b[4 * j + c]));
        return d;
    }

    private static double bestIoU(float[] a, int i, float[] b) {
        double best = 0;
        for (int j = 0; j < Boxes.count(b); j++) best = Math.max(best, iou(a, i, b, j));
        return best;
    }

    private static double iou(float[] a, int i, float[] b, int j) {
        double w = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
        double h = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
        if (w <= 0 || h <= 0) return 0;
        double inter = w * h;
        double areaA = (a[4 * i + 2] - a[4 * i]) * (a[4 * i + 3] - a[4 * i + 1]);
        double areaB = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return inter / (areaA + areaB - inter);
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("reference.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
