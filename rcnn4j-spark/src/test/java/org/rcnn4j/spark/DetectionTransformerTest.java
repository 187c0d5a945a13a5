package org.rcnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The Transformer on Spark's {@code binaryFile} source in local mode: detections equal
 * {@code detect}'s, the corrupt image is a row with an error, and the model is loaded once in the
 * JVM however many partitions run; and its schema checks.
 */
class DetectionTransformerTest {
    @Test
    void detectsBinaryContentAsDetectOnceAJvm() throws Exception {
        Dataset<Row> files = LocalSpark.session().read().format("binaryFile").load(LocalSpark.images().toString()).repartition(12);
        Dataset<Row> found = new DetectionTransformer().setModelDir(LocalSpark.MODEL.toString()).setContentCol("content").transform(files);
        List<Row> rows = found.select("path", "detections", "error").collectAsList();
        assertEquals(12, found.javaRDD().getNumPartitions());
        assertEquals(51, rows.size());
        List<Row> errors = rows.stream().filter(r -> !r.isNullAt(2)).toList();
        assertEquals(1, errors.size(), "one error row");
        assertTrue(errors.get(0).getString(0).endsWith(LocalSpark.BAD) && errors.get(0).isNullAt(1));
        // detect numbers the files in name order, and the corrupt 000026-cut.png comes before 000026.png and takes its id.
        ImageListing listing = ImageListing.of(LocalSpark.images().toString(), LocalSpark.session().sparkContext().hadoopConfiguration());
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < listing.paths().size(); i++) ids.put(listing.paths().get(i), listing.imageIds().get(i));
        byte[] coco = LocalSpark.cocoOf(rows, 0, r -> ids.get(r.getString(0)), 1, 2);
        assertArrayEquals(LocalSpark.detectJson(), coco, "the same detections as detect --json");
        assertEquals(1, ExecutorDetectors.loads(), "one load in this JVM, whatever the partitions and tests that ran");
    }

    @Test
    void schemaAddsTheTwoColumns() {
        StructType in = new StructType().add("path", DataTypes.StringType);
        StructType out = new DetectionTransformer().setModelDir("m").transformSchema(in);
        assertEquals(List.of("path", "detections", "error"), List.of(out.fieldNames()));
        assertEquals("array<struct<label:string,category_id:int,score:float,x1:float,y1:float,x2:float,y2:float>>",
                out.apply("detections").dataType().simpleString());
    }

    @Test
    void schemaProblemsAreNamed() {
        StructType in = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.StringType);
        assertMessage("set modelDir", () -> new DetectionTransformer().transformSchema(in));
        assertMessage("pathCol: no column 'file'", () -> new DetectionTransformer().setModelDir("m").setPathCol("file").transformSchema(in));
        assertMessage("contentCol: column 'content' is string",
                () -> new DetectionTransformer().setModelDir("m").setContentCol("content").transformSchema(in));
        assertMessage("already has a column 'path'", () -> new DetectionTransformer().setModelDir("m").setErrorCol("path").transformSchema(in));
    }

    @Test
    void copyKeepsTheParams() {
        DetectionTransformer t = new DetectionTransformer().setModelDir("m").setScoreThreshold(0.25f);
        DetectionTransformer c = t.copy(new org.apache.spark.ml.param.ParamMap());
        assertEquals(t.uid(), c.uid());
        assertEquals("m", c.getOrDefault(c.modelDir()));
        assertEquals(0.25f, (Float) c.getOrDefault(c.scoreThreshold()));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
