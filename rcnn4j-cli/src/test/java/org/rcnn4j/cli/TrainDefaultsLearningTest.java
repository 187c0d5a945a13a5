package org.rcnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user gets from {@code train} given only the data (issue 22, item 4): {@code --detector
 * faster-rcnn --backbone tiny --data --val --out} and nothing else, on 200 {@code shapes} training
 * images of a seed no other test uses and 60 validation images of the next seed. Everything else is
 * {@code train}'s plan for the data: the shipped pre-trained tiny, s = 416 with training scales 352,
 * 416 and 480, base rate 0.04, 3000 iterations, flips and no crops or colour jitter
 * (bench/results/small_data_defaults.md says why each).
 * Faster R-CNN's learning test too: voc07 and the RPN's top-300 recall (issue 3's goals: 0.85 here,
 * and 0.95) on the model a user gets.
 */
class TrainDefaultsLearningTest {
    private static final Pattern VAL_MAP = Pattern.compile("val voc07_mAP\\s+([0-9.]+)");

    @TempDir Path tmp;

    @Test
    @Tag("learning")
    void fasterRcnnReachesTheGoalFromTheDataAlone() throws Exception {
        Path train = tmp.resolve("train"), val = tmp.resolve("val"), model = tmp.resolve("model");
        assertEquals(0, CliRun.of("synth", "--kind", "shapes", "--split", "train", "--images", "200", "--seed", "4242",
                "--out", train.toString()).code());
        assertEquals(0, CliRun.of("synth", "--kind", "shapes", "--split", "val", "--images", "60", "--seed", "4243",
                "--out", val.toString()).code());
        long start = System.nanoTime();
        CliRun r = CliRun.of("train", "--detector", "faster-rcnn", "--backbone", "tiny", "--data",
                train.resolve("annotations.json").toString(), "--val", val.resolve("annotations.json").toString(),
                "--out", model.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.code(), r.err());
        Matcher m = VAL_MAP.matcher(r.out());
        assertTrue(m.find(), r.out());
        double map = Double.parseDouble(m.group(1));
        System.out.printf("train's defaults, faster-rcnn on 200 shapes (seed 4242): val voc07 mAP %.4f in %.0f s%n", map,
                seconds);
        // Measured 0.8601 in 567 s with the plan's scale jitter (2026-12-05, build 61c8255; one libtorch
        // thread, as every learning test; bench/small_data_defaults.sh's two threads gave 0.868 on the
        // same images); 0.8628 at a single scale (2026-12-03, build 0f90294). The goal: 0.85.
        assertTrue(map >= 0.85, "val voc07 mAP " + map);

        CliRun ar = CliRun.of("eval", "--metric", "ar", "--model", model.toString(), "--data",
                val.resolve("annotations.json").toString(), "--json");
        assertEquals(0, ar.code(), ar.err());
        double recall = new ObjectMapper().readTree(ar.out()).get("R50@300").asDouble();
        System.out.printf("its RPN's top-300 recall at IoU 0.5: %.3f%n", recall);
        // Measured 0.982 (2026-12-05, build 61c8255); 0.986 at a single scale (build 19c1adc). Issue 3's goal: 0.95.
        assertTrue(recall >= 0.95, "top-300 proposal recall at IoU 0.5: " + recall);
    }
}
