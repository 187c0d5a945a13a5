package org.rcnn4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_ximgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_ximgproc.SelectiveSearchSegmentation;
import org.rcnn4j.box.Boxes;
import org.rcnn4j.box.Proposals;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.DatasetReader;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.evaluation.ProposalRecall;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.preprocess.RgbImage;
import org.rcnn4j.proposals.SelectiveSearch;

/**
 * Selective search, rcnn4j's Java implementation against OpenCV's ximgproc, on one thread each:
 * recall at IoU 0.5 and 0.7 with at most N boxes, mean best overlap (MABO: the mean over ground-truth
 * objects of their best IoU with the top-N boxes) and seconds per image (proposal computation only;
 * decoding is outside the timer). OpenCV runs with {@code cv::setNumThreads(1)}.
 *
 * <p>Usage: {@code SelectiveSearchBench ANNOTATIONS_JSON N[,N...] METHOD...}, methods {@code rcnn4j-fast},
 * {@code rcnn4j-quality}, {@code opencv-fast}, {@code opencv-quality}. Each method proposes up to the
 * largest N boxes per image once; one markdown table row per method and N.
 */
public final class SelectiveSearchBench {
    public static void main(String[] args) throws Exception {
        Dataset data = DatasetReader.read(Path.of(args[0]), null, ReadOptions.strict()).dataset();
        int[] tops = java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int max = java.util.Arrays.stream(tops).max().orElseThrow();
        opencv_core.setNumThreads(1);
        List<RgbImage> images = new ArrayList<>();
        for (ImageRecord im : data.images()) images.add(ImageDecoder.decode(data.imagePath(im)));
        System.out.println("| method | N | recall@0.5 | recall@0.7 | MABO | boxes/image | s/image |");
        System.out.println("|---|---|---|---|---|---|---|");
        List<String> methods = List.of(args).subList(2, args.length);
        for (String method : methods) for (int i = 0; i < Math.min(3, images.size()); i++) propose(method, images.get(i), 0, max); // JIT, native loading
        // Methods take turns on each image, so a change in the (shared) machine's load hits all alike.
        Map<String, Map<Long, Proposals>> out = new LinkedHashMap<>();
        Map<String, Long> nanos = new LinkedHashMap<>();
        for (String method : methods) {
            out.put(method, new LinkedHashMap<>());
            nanos.put(method, 0L);
        }
        for (int i = 0; i < images.size(); i++) {
            long id = data.images().get(i).id();
            for (String method : methods) {
                long t0 = System.nanoTime();
                out.get(method).put(id, propose(method, images.get(i), id, max));
                nanos.merge(method, System.nanoTime() - t0, Long::sum);
            }
        }
        for (String method : methods) {
            Map<Long, Proposals> p = out.get(method);
            double seconds = nanos.get(method) / 1e9 / images.size();
            for (int top : tops) {
                double boxes = p.values().stream().mapToInt(x -> Math.min(top, x.size())).average().orElse(0);
                System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.0f | %.3f |%n", method, top,
                        ProposalRecall.recall(data, p, top, 0.5f, ProposalRecall.Area.ALL),
                        ProposalRecall.recall(data, p, top, 0.7f, ProposalRecall.Area.ALL),
                        mabo(data, p, top), boxes, seconds);
            }
        }
    }

    /** One method's proposals for one image (timed by the caller: includes OpenCV's RGB → BGR Mat copy, about 0.1 ms). */
    private static Proposals propose(String method, RgbImage image, long id, int max) {
        if (method.startsWith("rcnn4j-")) {
            SelectiveSearch.Mode mode = method.endsWith("quality") ? SelectiveSearch.Mode.QUALITY : SelectiveSearch.Mode.FAST;
            return new SelectiveSearch(mode, max, 0).propose(image, id);
        }
        try (Mat bgr = toMat(image); RectVector rects = new RectVector();
             SelectiveSearchSegmentation ss = opencv_ximgproc.createSelectiveSearchSegmentation()) {
            ss.setBaseImage(bgr);
            if (method.endsWith("quality")) ss.switchToSelectiveSearchQuality();
            else ss.switchToSelectiveSearchFast();
            ss.process(rects);
            return fromRects(rects, max);
        }
    }

    private static Mat toMat(RgbImage image) {
        Mat mat = new Mat(image.height(), image.width(), opencv_core.CV_8UC3);
        byte[] rgb = image.pixels();
        byte[] bgr = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        mat.data().put(bgr);
        return mat;
    }

    /** OpenCV's rectangles are ranked already (its own randomised hierarchy ranking); x y w h → x1 y1 x2 y2. */
    private static Proposals fromRects(RectVector rects, int max) {
        int n = (int) Math.min(max, rects.size());
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            Rect r = rects.get(i);
            boxes[4 * i] = r.x();
            boxes[4 * i + 1] = r.y();
            boxes[4 * i + 2] = r.x() + r.width();
            boxes[4 * i + 3] = r.y() + r.height();
            scores[i] = -i;
        }
        return new Proposals(boxes, scores);
    }

    /** Mean over non-crowd, non-difficult objects of their best IoU with an image's top-N proposals. */
    static double mabo(Dataset data, Map<Long, Proposals> proposals, int max) {
        double sum = 0;
        int count = 0;
        for (ImageRecord im : data.images()) {
            Proposals p = proposals.get(im.id());
            int n = Math.min(max, p.size());
            float[] top = java.util.Arrays.copyOf(p.boxes(), 4 * n);
            for (Annotation a : im.annotations()) {
                if (a.crowd() || a.difficult()) continue;
                float[] iou = Boxes.iou(top, a.box());
                float best = 0;
                for (float v : iou) best = Math.max(best, v);
                sum += best;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
