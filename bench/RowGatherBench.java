import ai.djl.engine.Engine;
import ai.djl.ndarray.*;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;
import java.util.Random;
/**
 * RoIAlign's row gather, forward alone and forward + backward, two ways: advanced indexing
 * (rows[index], backward an accumulating index-put) and libtorch's embedding (backward an
 * index-add). The rows are a C4 map at s = 640 with the fashion C4 model's width, (40·40, 128),
 * viewed channel-last as RoIAlign does; the index has RoIAlign's size for 128 RoIs, 7×7 cells and
 * 4 entries per cell. Mean over 30 runs after 5.
 * Usage: java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=T -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp "rcnn4j-cli/target/classes:rcnn4j-cli/target/lib/*" bench/RowGatherBench.java index|embedding forward|both
 */
public class RowGatherBench {
  public static void main(String[] a) throws Exception {
    boolean embedding = a[0].equals("embedding"), backward = a[1].equals("both");
    try (NDManager m = NDManager.newBaseManager()) {
      Random r = new Random(0);
      NDArray map = m.randomNormal(new Shape(128, 1600));
      map.setRequiresGradient(true);
      long[] index = new long[128 * 49 * 4];
      for (int i = 0; i < index.length; i++) index[i] = r.nextInt(1600);
      long total = 0; int reps = 30, warmup = 5;
      for (int it = 0; it < reps + warmup; it++) {
        long t0 = System.nanoTime();
        try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray rows = map.transpose();
          NDArray idx = sub.create(index);
          NDArray g = embedding ? rows.getNDArrayInternal().embedding(idx, rows, SparseFormat.DENSE).singletonOrThrow()
              : rows.get(new NDIndex("{}", idx));
          if (backward) gc.backward(g.sum()); else g.sum().getFloat();
        }
        if (it >= warmup) total += System.nanoTime() - t0;
      }
      System.out.printf("%s %s, %s libtorch threads: %.2f ms%n", a[0], backward ? "forward + backward" : "forward",
          System.getProperty("ai.djl.pytorch.num_threads"), total / 1e6 / reps);
    }
  }
}
