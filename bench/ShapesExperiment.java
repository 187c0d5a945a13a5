import java.lang.management.*;
import java.nio.file.*;
import java.util.*;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.config.*;
import org.rcnn4j.data.*;
import org.rcnn4j.data.synth.*;
import org.rcnn4j.detector.*;
import org.rcnn4j.evaluation.*;
import org.rcnn4j.preprocess.*;
import org.rcnn4j.training.*;

/**
 * One training run on seeded `shapes` data with every knob as a system property, then val figures:
 * the harness behind bench/results/faster_rcnn_shapes.md's tables. Run by bench/shapes_experiment.sh.
 *
 * Properties (defaults): kind (faster-rcnn | fast-rcnn | fpn), schedule (joint | alternating), n (600 train
 * images), nval (100), size (128 px), iters (3000), backbone (tiny), weights (pre-trained backbone file),
 * lr (0.02), seed (21), side (planned), anchors (planned), fc, rois, postTrain, pooler, ipb (2), step1/step2
 * (0.75/0.92), threads (1 decoding thread), tag (output name under the work directory), work (/tmp/shapes-exp);
 * for fast-rcnn: bgLow (background IoU floor, 0.1), pooler (roi-pool), frozen (first stages frozen, 1), rois (per
 * image, 64), trainScales and testScales (comma-separated shorter sides; default the planned side).
 */
public class ShapesExperiment {
  static String p(String k, String d) { return System.getProperty(k, d); }
  static int[] ints(String csv) { return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray(); }
  public static void main(String[] a) throws Exception {
    String tag = p("tag", "x");
    int nTrain = Integer.parseInt(p("n", "600")), nVal = Integer.parseInt(p("nval", "100"));
    int imgSize = Integer.parseInt(p("size", "128"));
    long iters = Long.parseLong(p("iters", "3000"));
    String backbone = p("backbone", "tiny");
    float lr = Float.parseFloat(p("lr", "0.02"));
    long seed = Long.parseLong(p("seed", "21"));
    Path work = Path.of(p("work", "/tmp/shapes-exp"));
    Path root = work.resolve("data-" + nTrain + "-" + imgSize + "-" + seed);
    Dataset train = new ShapesGenerator().generate(new SynthSpec("train", nTrain, imgSize, seed), root.resolve("train"), n -> {});
    Dataset val = new ShapesGenerator().generate(new SynthSpec("val", nVal, imgSize, seed), root.resolve("val"), n -> {});
    InputPlan plan = InputPlan.of(train);
    int side = Integer.parseInt(p("side", "" + plan.shortSide()));
    float[] anchors = plan.anchorSizes();
    if (System.getProperty("anchors") != null) { String[] s = p("anchors","").split(","); anchors = new float[s.length]; for (int i=0;i<s.length;i++) anchors[i]=Float.parseFloat(s[i]); }
    FasterRcnnConfig c = FasterRcnnConfig.small(backbone, train.numClasses(), side, anchors);
    var r = c.roi(); var rp = c.rpn();
    int fc = Integer.parseInt(p("fc", "" + r.fc6()));
    int post = Integer.parseInt(p("postTrain", "" + rp.postNmsTrain()));
    int perImage = Integer.parseInt(p("rois", "" + r.perImage()));
    FasterRcnnConfig cfg = new FasterRcnnConfig(c.backbone(), c.numClasses(), c.input(), c.anchors(),
        rp.withProposals(rp.preNmsTrain(), post, rp.preNmsTest(), rp.postNmsTest()),
        r.withSampling(perImage, r.bgLow()).withPooler(PoolerType.of(p("pooler", r.pooler().json()))).withFc(fc, fc), c.test());
    int ipb = Integer.parseInt(p("ipb", "2"));
    TrainingConfig d = TrainingConfig.defaults(iters, seed).withImagesPerBatch(ipb).withBaseLr(lr).withCheckpointEvery(0);
    TrainingConfig tc = new TrainingConfig(iters, ipb, lr, d.momentum(), d.weightDecay(), d.warmupIterations(), new double[]{Double.parseDouble(p("step1","0.75")), Double.parseDouble(p("step2","0.92"))}, d.gamma(), d.flipProbability(), seed, 0, Integer.parseInt(p("threads","1")));
    Path out = work.resolve("model-" + tag);
    if (Files.exists(out)) try (var w = Files.walk(out)) { w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    System.out.printf("%s: n=%d size=%d side=%d anchors=%s iters=%d lr=%.3f backbone=%s fc=%d%n", tag, nTrain, imgSize, side, Arrays.toString(anchors), iters, lr, backbone, fc);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    String kindName = p("kind", "faster-rcnn");
    DetectorKind kind = DetectorKinds.find(kindName).get();
    org.rcnn4j.proposals.ProposalSource src = kind.takesProposals() ? new org.rcnn4j.proposals.SelectiveSearchSource(org.rcnn4j.proposals.SelectiveSearch.Mode.FAST, 2000, seed) : null;
    boolean alt = p("schedule", "joint").equals("alternating");
    // Fast R-CNN knobs: -Drois, -DbgLow, -Dpooler, -Dfrozen, -DtrainScales, -DtestScales (see the class comment).
    DetectorConfig chosen = kindName.equals("faster-rcnn") ? cfg : null;
    if (kindName.equals("fast-rcnn")) {
      FastRcnnConfig f = FastRcnnConfig.small(backbone, train.numClasses(), side);
      var fr = f.roi();
      f = f.withRoi(fr.withSampling(Integer.parseInt(p("rois", "" + fr.perImage())), Float.parseFloat(p("bgLow", "" + fr.bgLow())))
          .withPooler(PoolerType.of(p("pooler", fr.pooler().json()))));
      if (System.getProperty("frozen") != null) f = new FastRcnnConfig(f.backbone(), f.numClasses(), f.input(), f.pyramid(),
          f.maxProposals(), Integer.parseInt(p("frozen", "1")), f.roi(), f.test());
      // -DtrainScales=a,b,c: a random scale per sampled image (§5.2); -DtestScales=a,b: the test pyramid.
      if (System.getProperty("trainScales") != null || System.getProperty("testScales") != null) {
        int[] tr = ints(p("trainScales", "" + side)), te = ints(p("testScales", "" + side));
        int longest = Math.max(Arrays.stream(tr).max().getAsInt(), Arrays.stream(te).max().getAsInt());
        f = new FastRcnnConfig(f.backbone(), f.numClasses(), new InputConfig(side, InputConfig.maxSizeFor(longest), tr),
            new ImagePyramid(te, f.pyramid().canonicalSide()), f.maxProposals(), f.frozenStages(), f.roi(), f.test());
      }
      chosen = f;
    }
    DetectorTraining.Request req = new DetectorTraining.Request(kind, train, null, out, chosen, backbone, System.getProperty("weights") == null ? null : Path.of(System.getProperty("weights")), tc, false, src, null);
    DetectorTraining.Outcome o = alt ? AlternatingTraining.run(req, s -> {}, null) : DetectorTraining.run(req, s -> {
        if ((s.iteration()+1) % Math.max(1, s.iterations()/6) == 0) System.out.printf("  it %d loss %.3f %s %.1f img/s%n", s.iteration()+1, s.loss(), s.losses(), s.imagesPerSecond());
      }, null);
    double wall = (System.nanoTime() - t0) / 1e9, cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    try (Detector det = Detector.load(out)) {
      if (src != null) det.useProposals(new org.rcnn4j.proposals.SelectiveSearchSource(org.rcnn4j.proposals.SelectiveSearch.Mode.FAST, 2000, seed));
      Map<Long, Proposals> props = new HashMap<>();
      for (ImageRecord im : val.images()) props.put(im.id(), det.propose(ImageDecoder.decode(val.imagePath(im)), im));
      double rec = ProposalRecall.recall(val, props, 300, 0.5f, ProposalRecall.Area.ALL);
      double recS = ProposalRecall.recall(val, props, 300, 0.5f, ProposalRecall.Area.SMALL);
      List<Detection> dets = DatasetDetector.detectAll(det, val, null);
      VocEvaluation e = new VocEvaluator().evaluate(val, dets, VocMetric.VOC07);
      var coco = CocoEvaluator.evaluate(val, dets).statsByName();
      System.out.printf("RESULT %s voc07 %.3f recall300 %.3f (small %.3f) AP %.3f AP50 %.3f APs %.3f APm %.3f train wall %.0f s cpu %.0f s | %s%n", tag, e.mAP(), rec, recS,
          coco.get("AP"), coco.get("AP50"), coco.get("APs"), coco.get("APm"), wall, cpu, e.apByClass());
    }
  }
}
