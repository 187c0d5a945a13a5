import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import java.nio.file.*;
import java.util.*;
import org.rcnn4j.data.*;
import org.rcnn4j.detector.*;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.modeling.StageTimes;
import org.rcnn4j.preprocess.*;
/**
 * Inference time by stage with the RoI poolers' Java path (A: autograd off, as in detect) against
 * their native differentiable gather (B: the same detection with a GradientCollector open, which
 * makes the poolers take their training path), on the same images, alternating A and B per image.
 * Usage: java -cp "rcnn4j-cli/target/classes:rcnn4j-cli/target/lib/*" bench/PoolerPaths.java MODEL_DIR DATA IMAGES
 */
public class PoolerPaths {
  public static void main(String[] a) throws Exception {
    Dataset d = DatasetReader.read(Path.of(a[1]), null, ReadOptions.strict()).dataset();
    int n = Integer.parseInt(a[2]);
    StageTimes ta = new StageTimes(), tb = new StageTimes();
    try (Detector det = Detector.load(Path.of(a[0]))) {
      for (int i = 0; i < n + 5; i++) {
        ImageRecord im = d.images().get(i);
        RgbImage img = ImageDecoder.decode(d.imagePath(im));
        det.detect(img, im, i < 5 ? StageTimes.none() : ta);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          det.detect(img, im, i < 5 ? StageTimes.none() : tb);
        }
      }
    }
    System.out.println("A (Java, inference): " + ta.millisPerImage());
    System.out.println("B (native gather, autograd recording): " + tb.millisPerImage());
  }
}
