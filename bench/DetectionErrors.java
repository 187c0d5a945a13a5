import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a detector's confident mistakes are, in the spirit of Hoiem et al.'s "Diagnosing error in
 * object detectors" (ECCV 2012), coarsely. Detections scoring at least T are taken in descending
 * score, as AP takes them, and each is matched greedily to the ground truth of its image:
 * <ul>
 *   <li>correct: IoU ≥ 0.5 with an unmatched object of its class (the object is then matched);</li>
 *   <li>duplicate: IoU ≥ 0.5 with an object of its class already matched;</li>
 *   <li>wrong class: IoU ≥ 0.5 with an object of another class (the box is right, the label not);</li>
 *   <li>localisation: 0.1 ≤ IoU &lt; 0.5 with an object of its class;</li>
 *   <li>other class, poor box: 0.1 ≤ IoU &lt; 0.5 with an object of another class only;</li>
 *   <li>background: IoU &lt; 0.1 with every object.</li>
 * </ul>
 * It also counts wrong-class detections by (true class, predicted class), and the objects covered at
 * IoU ≥ 0.5 by detections of their own class, of other classes, of both, or by none. IoU in the continuous
 * convention, on COCO {@code [x, y, w, h]} boxes.
 *
 * <p>Usage: {@code java -cp "rcnn4j-cli/target/lib/*" bench/DetectionErrors.java ANNOTATIONS.json
 * DETECTIONS.json [T=0.5]}, where DETECTIONS is {@code rcnn4j detect --json}'s COCO results file
 * (image_id is the image's file name without extension, or its id).
 */
public class DetectionErrors {
  public static void main(String[] a) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode gt = json.readTree(new File(a[0]));
    JsonNode dets = json.readTree(new File(a[1]));
    double threshold = a.length > 2 ? Double.parseDouble(a[2]) : 0.5;

    Map<Integer, String> names = new HashMap<>();
    gt.get("categories").forEach(c -> names.put(c.get("id").asInt(), c.get("name").asText()));
    Map<String, Long> imageIds = new HashMap<>();
    for (JsonNode im : gt.get("images")) {
      String file = new File(im.get("file_name").asText()).getName();
      imageIds.put(file.replaceFirst("\\.[^.]*$", ""), im.get("id").asLong());
      imageIds.put(im.get("id").asText(), im.get("id").asLong());
    }
    // x1, y1, x2, y2, class, matched, covered by a detection of its class, covered by one of another class
    Map<Long, List<double[]>> objects = new HashMap<>();
    for (JsonNode o : gt.get("annotations")) {
      objects.computeIfAbsent(o.get("image_id").asLong(), k -> new ArrayList<>())
          .add(withClass(o.get("bbox"), o.get("category_id").asInt()));
    }
    List<JsonNode> kept = new ArrayList<>();
    dets.forEach(d -> { if (d.get("score").asDouble() >= threshold) kept.add(d); });
    kept.sort((x, y) -> Double.compare(y.get("score").asDouble(), x.get("score").asDouble()));

    Map<String, Integer> kinds = new TreeMap<>();
    Map<String, Integer> confusions = new HashMap<>();
    for (JsonNode d : kept) {
      Long image = imageIds.get(d.get("image_id").asText());
      if (image == null) throw new IllegalArgumentException(a[1] + ": unknown image_id " + d.get("image_id"));
      int label = d.get("category_id").asInt();
      double[] box = withClass(d.get("bbox"), label);
      double[] same = null, other = null;
      double sameIoU = 0, otherIoU = 0;
      for (double[] o : objects.getOrDefault(image, List.of())) {
        double iou = iou(box, o);
        if (iou >= 0.5) o[(int) o[4] == label ? 6 : 7] = 1; // covered by its own label / another
        if ((int) o[4] == label) {
          // The object of highest IoU, as the VOC matcher takes it; if already matched, a duplicate.
          if (iou > sameIoU) { sameIoU = iou; same = o; }
        } else if (iou > otherIoU) { otherIoU = iou; other = o; }
      }
      String kind;
      if (sameIoU >= 0.5 && same[5] == 0) { same[5] = 1; kind = "correct"; }
      else if (sameIoU >= 0.5) kind = "duplicate";
      else if (otherIoU >= 0.5) {
        kind = "wrong class";
        confusions.merge(names.get((int) other[4]) + " -> " + names.get(label), 1, Integer::sum);
      }
      else if (sameIoU >= 0.1) kind = "localisation";
      else if (otherIoU >= 0.1) kind = "other class, poor box";
      else kind = "background";
      kinds.merge(kind, 1, Integer::sum);
    }
    Map<String, Integer> covered = new TreeMap<>();
    objects.values().forEach(list -> list.forEach(o -> covered.merge(
        o[6] == 1 ? (o[7] == 1 ? "both labels" : "its label only") : (o[7] == 1 ? "other labels only" : "nothing"),
        1, Integer::sum)));
    long total = objects.values().stream().mapToLong(List::size).sum();
    int found = kinds.getOrDefault("correct", 0);
    System.out.printf(Locale.ROOT, "detections scoring >= %s: %d; objects %d, found %d (recall %.3f)%n",
        threshold, kept.size(), total, found, found / (double) total);
    kinds.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-22s %5d (%.1f %%)%n", e.getKey(), e.getValue(),
            100.0 * e.getValue() / kept.size()));
    System.out.println("objects covered at IoU >= 0.5 by detections of:");
    covered.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %5d (%.1f %%)%n", k, v, 100.0 * v / total));
    System.out.println("wrong class, true -> predicted:");
    confusions.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(15)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-22s %5d%n", e.getKey(), e.getValue()));
  }

  private static double[] withClass(JsonNode b, int label) {
    double x = b.get(0).asDouble(), y = b.get(1).asDouble();
    return new double[] {x, y, x + b.get(2).asDouble(), y + b.get(3).asDouble(), label, 0, 0, 0};
  }

  private static double iou(double[] p, double[] q) {
    double w = Math.max(0, Math.min(p[2], q[2]) - Math.max(p[0], q[0]));
    double h = Math.max(0, Math.min(p[3], q[3]) - Math.max(p[1], q[1]));
    double inter = w * h, union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter;
    return union > 0 ? inter / union : 0;
  }
}
