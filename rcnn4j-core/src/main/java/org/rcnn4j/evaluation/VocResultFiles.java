package org.rcnn4j.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.BadInputException;

/**
 * Pascal VOC devkit results files, {@code <comp>_det_<split>_<class>.txt} (py-faster-rcnn writes
 * {@code comp4_det_test_<class>.txt}; any prefix before {@code _det_} is accepted, e.g. a salted
 * {@code comp4_<salt>}), one line per detection: {@code <image> <score> <xmin> <ymin> <xmax> <ymax>},
 * boxes 1-based inclusive as the devkit expects. They become continuous boxes as VOC annotations do:
 * {@code x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax}.
 *
 * <p>The class is the longest class name of the dataset that ends the file name after
 * {@code _det_<split>_}; when the split is not given it is what precedes that class name, and the
 * files of a directory must then agree on it. Files whose names have no {@code _det_} or do not end
 * in {@code .txt} are not results and are skipped; with a split given, so are other splits' files.
 */
final class VocResultFiles {
    private static final String MARK = "_det_";

    private VocResultFiles() {}

    /** The results of a directory, by class order, then line order. */
    static List<Detection> readDirectory(Path dir, Dataset gt, String split) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> isResultName(f.getFileName().toString()) && Files.isRegularFile(f)).sorted().toList();
        }
        Map<Integer, Path> byClass = new TreeMap<>();
        TreeSet<String> splits = new TreeSet<>();
        for (Path f : files) {
            Parsed parsed = parseName(f, gt, split);
            if (parsed == null) continue;
            splits.add(parsed.split());
            Path other = byClass.put(parsed.classIndex(), f);
            if (other != null) {
                throw new BadInputException(dir, null, "two results files for class "
                        + gt.categoryOfClass(parsed.classIndex()).name() + ": " + other.getFileName() + ", " + f.getFileName());
            }
        }
        if (byClass.isEmpty()) {
            throw new BadInputException(dir, null, "no results files <comp>_det_"
                    + (split == null ? "<split>" : split) + "_<class>.txt");
        }
        if (splits.size() > 1) {
            throw new BadInputException(dir, null, "results for several splits " + splits + "; choose one split");
        }
        List<Detection> out = new ArrayList<>();
        for (Map.Entry<Integer, Path> e : byClass.entrySet()) {
            readLines(e.getValue(), gt, gt.categoryOfClass(e.getKey()).id(), out);
        }
        return out;
    }

    /** The results of one file; its name must name a class of {@code gt}. */
    static List<Detection> readFile(Path file, Dataset gt, String split) throws IOException {
        if (!isResultName(file.getFileName().toString())) {
            throw new BadInputException(file, null, "not a results file name <comp>_det_<split>_<class>.txt");
        }
        Parsed parsed = parseName(file, gt, split);
        if (parsed == null) throw new BadInputException(file, null, "not a results file of split " + split);
        List<Detection> out = new ArrayList<>();
        readLines(file, gt, gt.categoryOfClass(parsed.classIndex()).id(), out);
        return out;
    }

    private static boolean isResultName(String name) {
        return name.endsWith(".txt") && name.contains(MARK);
    }

    private record Parsed(String split, int classIndex) {}

    /** Split and class of a results file name; null when it belongs to another split than {@code split}. */
    private static Parsed parseName(Path file, Dataset gt, String split) {
        String name = file.getFileName().toString();
        String rest = name.substring(name.indexOf(MARK) + MARK.length(), name.length() - ".txt".length());
        if (split != null) {
            if (!rest.startsWith(split + "_")) return null;
            String cls = rest.substring(split.length() + 1);
            for (int k = 1; k <= gt.numClasses(); k++) {
                if (gt.categoryOfClass(k).name().equals(cls)) return new Parsed(split, k);
            }
            throw new BadInputException(file, null, "unknown class name '" + cls + "' in the file name");
        }
        int best = -1;
        for (int k = 1; k <= gt.numClasses(); k++) {
            String cls = gt.categoryOfClass(k).name();
            if (rest.endsWith("_" + cls) && (best < 0 || cls.length() > gt.categoryOfClass(best).name().length())) {
                best = k;
            }
        }
        if (best < 0) {
            throw new BadInputException(file, null, "unknown class name in the file name (classes: "
                    + String.join(", ", gt.classNames()) + ")");
        }
        String cls = gt.categoryOfClass(best).name();
        return new Parsed(rest.substring(0, rest.length() - cls.length() - 1), best);
    }

    private static final String[] FIELDS = {"image_id", "score", "xmin", "ymin", "xmax", "ymax"};

    /** Appends the detections of one file; blank lines are skipped. */
    private static void readLines(Path file, Dataset gt, int categoryId, List<Detection> out) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            for (int n = 1; (line = r.readLine()) != null; n++) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) continue;
                String[] f = trimmed.split("\\s+");
                String where = "line " + n;
                if (f.length != FIELDS.length) {
                    throw new BadInputException(file, where,
                            "expected 6 fields <image_id> <score> <xmin> <ymin> <xmax> <ymax>, found " + f.length);
                }
                ImageRecord image = gt.imageByToken(f[0])
                        .orElseThrow(() -> new BadInputException(file, where, "unknown image id " + f[0]));
                double[] v = new double[5];
                for (int i = 1; i < FIELDS.length; i++) v[i - 1] = number(f[i], file, where, FIELDS[i]);
                float x1 = (float) (v[1] - 1);
                float y1 = (float) (v[2] - 1);
                float x2 = (float) v[3];
                float y2 = (float) v[4];
                if (x2 < x1) throw new BadInputException(file, where, "negative width: xmax < xmin - 1");
                if (y2 < y1) throw new BadInputException(file, where, "negative height: ymax < ymin - 1");
                out.add(new Detection(image.id(), categoryId, x1, y1, x2, y2, (float) v[0]));
            }
        }
    }

    private static double number(String text, Path file, String where, String field) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BadInputException(file, where, field + ": not a number '" + text + "'");
        }
        if (!Double.isFinite(v) || !Float.isFinite((float) v)) {
            throw new BadInputException(file, where, field + ": not a finite number '" + text + "'");
        }
        return v;
    }
}
