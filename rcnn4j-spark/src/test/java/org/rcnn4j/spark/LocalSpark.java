package org.rcnn4j.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rcnn4j.cli.Main;
import org.rcnn4j.evaluation.CocoResultsWriter;

/**
 * What the Spark tests share, made once per test JVM: a local Spark session on two cores with its
 * web UI off (starting one takes seconds), the {@code faster-rcnn} saved-model fixture, and 50
 * {@code shapes} images (128 × 128, seed 7) made by {@code rcnn4j synth} plus one truncated PNG.
 */
final class LocalSpark {
    /** rcnn4j-core's saved-model fixture: a small Faster R-CNN on the tiny backbone. */
    static final Path MODEL = Path.of("../rcnn4j-core/src/test/resources/models/faster-rcnn").toAbsolutePath().normalize();
    /** The corrupt image among the 50: a PNG cut in half. */
    static final String BAD = "000026-cut.png";

    private static SparkSession spark;
    private static Path images;
    private static byte[] detectJson;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("rcnn4j-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    /** The folder of the 50 images and the corrupt one. */
    static synchronized Path images() throws IOException {
        if (images == null) {
            Path root = Files.createTempDirectory("rcnn4j-spark-images");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            int code = Main.run("synth", "--kind", "shapes", "--split", "val", "--images", "50", "--size", "128", "--seed", "7",
                    "--out", root.resolve("set").toString());
            if (code != 0) throw new IllegalStateException("rcnn4j synth failed with exit code " + code);
            Path dir = root.resolve("set/images");
            byte[] png = Files.readAllBytes(dir.resolve("000026.png"));
            Files.write(dir.resolve(BAD), java.util.Arrays.copyOf(png, png.length / 2));
            images = dir;
        }
        return images;
    }

    /**
     * {@code rcnn4j detect --model MODEL --json FILE IMAGES} (the default score threshold): the bytes
     * of its results, which leave out the corrupt image.
     */
    static synchronized byte[] detectJson() throws IOException {
        if (detectJson == null) {
            Path file = images().getParent().resolve("detect.json");
            int code = Main.run("detect", "--model", MODEL.toString(), "--json", file.toString(), images().toString());
            if (code != 2) throw new IllegalStateException("detect: expected exit code 2 for the corrupt image, got " + code);
            detectJson = Files.readAllBytes(file);
        }
        return detectJson;
    }

    /**
     * The COCO results of detected rows (path, image_id, detections, error; any order) as
     * {@code detect --json} writes them: images in path order, rows with an error left out.
     */
    static byte[] cocoOf(List<Row> rows, int path, ToLongFunction<Row> imageId, int detections, int error) throws IOException {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(r -> r.getString(path)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CocoResultsWriter coco = new CocoResultsWriter(bytes)) {
            for (Row r : sorted) {
                if (!r.isNullAt(error)) continue;
                for (Row d : r.<Row>getList(detections)) coco.write(DetectionColumns.fromRow(d, imageId.applyAsLong(r)));
            }
        }
        return bytes.toByteArray();
    }

    static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
