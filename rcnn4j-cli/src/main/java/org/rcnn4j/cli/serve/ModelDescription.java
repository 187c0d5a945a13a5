package org.rcnn4j.cli.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rcnn4j.config.DetectorConfig;
import org.rcnn4j.data.Category;
import org.rcnn4j.detector.Detector;

/**
 * The body of {@code GET /v1/model}: what a client needs to read the detections (the detector
 * kind, its classes with their category ids, what a score means and the default threshold), a
 * summary of the config, and how the server is set to run.
 */
final class ModelDescription {
    private ModelDescription() {}

    static ObjectNode of(Detector detector, ServerSettings settings) {
        ObjectNode root = Responses.JSON.createObjectNode();
        root.put("detector", detector.description().detector());
        ArrayNode classes = root.putArray("classes");
        for (Category c : detector.categories()) classes.addObject().put("id", c.id()).put("name", c.name());
        DetectorConfig config = detector.description().config();
        ObjectNode summary = root.putObject("config");
        summary.put("backbone", config.backbone());
        summary.put("num_classes", config.numClasses());
        summary.put("short_side", config.input().shortSide());
        summary.put("max_size", config.input().maxSize());
        summary.put("test_proposals", config.testProposals());
        summary.put("summary", config.summary());
        // An R-CNN, SPP-net or Fast R-CNN model runs selective search on each request's image.
        root.put("proposals", detector.takesProposals() ? "selective-search" : "own");
        root.put("scores", detector.model().scoresAreMargins() ? "svm-margins" : "probabilities");
        root.put("default_score_threshold", settings.defaultScoreThreshold());
        root.put("weights_sha256", detector.description().weightsSha256());
        ObjectNode serving = root.putObject("serving");
        serving.put("workers", settings.workers());
        serving.put("queue", settings.queue());
        serving.put("libtorch_threads_per_worker", settings.libtorchThreads());
        serving.put("max_image_bytes", settings.maxImageBytes());
        return root;
    }
}
