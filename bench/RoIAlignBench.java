import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.rcnn4j.modeling.poolers.*;
/**
 * The training path of a RoI pooler, forward + backward, on a C4-sized map at s = 640 for the fashion
 * C4 model (1 × 128 × 40 × 40, stride 16) and 128 random RoIs of 20–220 px: mean and best of 30
 * runs after 5. Compare libtorch thread counts with -Dai.djl.pytorch.num_threads.
 * Usage: java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=T -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp "rcnn4j-cli/target/classes:rcnn4j-cli/target/lib/*" bench/RoIAlignBench.java align|pool
 */
public class RoIAlignBench {
  public static void main(String[] a) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Random r = new Random(0);
      NDArray map = m.randomNormal(new Shape(1, 128, 40, 40));
      map.setRequiresGradient(true);
      float[] rois = new float[128 * 4];
      for (int i = 0; i < 128; i++) {
        float x = r.nextFloat() * 500, y = r.nextFloat() * 500, w = 20 + r.nextFloat() * 200, h = 20 + r.nextFloat() * 200;
        rois[4 * i] = x; rois[4 * i + 1] = y; rois[4 * i + 2] = Math.min(639, x + w); rois[4 * i + 3] = Math.min(639, y + h);
      }
      RoIPooler pooler = a[0].equals("pool") ? new RoIPool(7, 7) : new RoIAlign();
      long best = Long.MAX_VALUE, total = 0; int reps = 30, warmup = 5;
      for (int it = 0; it < reps + warmup; it++) {
        long t0 = System.nanoTime();
        try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(pooler.pool(sub, map, rois, 1f / 16).sum());
        }
        long dt = System.nanoTime() - t0;
        if (it >= warmup) { total += dt; best = Math.min(best, dt); }
      }
      System.out.printf("%s, %s libtorch threads: mean %.2f ms, best %.2f ms%n", a[0],
          System.getProperty("ai.djl.pytorch.num_threads"), total / 1e6 / reps, best / 1e6);
    }
  }
}
