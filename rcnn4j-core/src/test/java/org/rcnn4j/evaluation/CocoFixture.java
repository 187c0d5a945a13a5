package org.rcnn4j.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;

/**
 * One reference case under {@code src/test/resources/evaluation/coco/<case>/}: COCO ground truth,
 * COCO results and what pycocotools' COCOeval computed for them (written by
 * {@code src/test/scripts/coco_reference_fixtures.py}). A deliberately small parser: the fixtures
 * are well-formed.
 */
record CocoFixture(Dataset gt, List<Detection> dets, JsonNode expected) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static CocoFixture load(String name) throws IOException {
        String dir = "/evaluation/coco/" + name + "/";
        return new CocoFixture(dataset(read(dir + "gt.json")), detections(read(dir + "results.json")),
                read(dir + "expected.json"));
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = CocoFixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            return JSON.readTree(in);
        }
    }

    private static Dataset dataset(JsonNode root) {
        List<Category> cats = new ArrayList<>();
        for (JsonNode c : root.get("categories")) cats.add(new Category(c.get("id").asInt(), c.get("name").asText()));
        Map<Long, List<Annotation>> byImage = new LinkedHashMap<>();
        for (JsonNode a : root.get("annotations")) {
            JsonNode b = a.get("bbox");
            float x = (float) b.get(0).asDouble();
            float y = (float) b.get(1).asDouble();
            float x2 = (float) (b.get(0).asDouble() + b.get(2).asDouble());
            float y2 = (float) (b.get(1).asDouble() + b.get(3).asDouble());
            byImage.computeIfAbsent(a.get("image_id").asLong(), k -> new ArrayList<>())
                    .add(new Annotation(a.get("id").asLong(), a.get("category_id").asInt(), x, y, x2, y2,
                            a.get("area").asDouble(), false, a.get("iscrowd").asInt() == 1));
        }
        List<ImageRecord> images = new ArrayList<>();
        for (JsonNode im : root.get("images")) {
            long id = im.get("id").asLong();
            images.add(new ImageRecord(id, String.valueOf(id), im.get("file_name").asText(), im.get("width").asInt(),
                    im.get("height").asInt(), byImage.getOrDefault(id, List.of())));
        }
        return new Dataset(null, List.of(), cats, images);
    }

    private static List<Detection> detections(JsonNode root) {
        List<Detection> dets = new ArrayList<>();
        for (JsonNode d : root) {
            JsonNode b = d.get("bbox");
            dets.add(new Detection(d.get("image_id").asLong(), d.get("category_id").asInt(),
                    (float) b.get(0).asDouble(), (float) b.get(1).asDouble(),
                    (float) (b.get(0).asDouble() + b.get(2).asDouble()),
                    (float) (b.get(1).asDouble() + b.get(3).asDouble()), (float) d.get("score").asDouble()));
        }
        return dets;
    }
}
