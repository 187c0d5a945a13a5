package org.rcnn4j.data.voc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Category;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.data.ReadOptions;
import org.rcnn4j.data.ReadResult;
import org.rcnn4j.data.SkippedRecords;
import org.rcnn4j.io.BadInputException;

/**
 * Reads a Pascal VOC directory ({@code Annotations/<stem>.xml}, {@code ImageSets/Main/<split>.txt},
 * {@code JPEGImages/}) into a {@link Dataset}.
 *
 * <ul>
 *   <li>Split: the one named, else {@code trainval}, else {@code train}, else the only split file.
 *   <li>Images, in split order: id = the stem as a number when all stems of the split are whole
 *       numbers and distinct, else the 1-based position in the split; name = the stem; file =
 *       {@code JPEGImages/<filename>} ({@code <stem>.jpg} when the XML has no {@code <filename>});
 *       size from {@code <size><width><height>}.
 *   <li>Objects: {@code <name>}, {@code <difficult>} (optional, 0), {@code <bndbox>} converted from
 *       1-based inclusive pixels: {@code x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax};
 *       annotation ids run 1..A in reading order. Part boxes ({@code object/part/bndbox}) are ignored.
 *   <li>Classes: the given names, with ids 1..K in that order; without them, the 20 standard VOC
 *       classes ({@link VocClasses#STANDARD}) when every name read is one of them, else the names
 *       read, sorted, with ids 1..K.
 * </ul>
 * Bad records (an object; an image listed without its XML or with a bad size) fail or are skipped
 * per {@link ReadOptions}; malformed XML, a missing split file and an empty split always fail.
 */
public final class VocReader {
    private VocReader() {}

    /** Reads {@code split} of {@code dir} (the default split when null), deciding the classes from the names. */
    public static ReadResult read(Path dir, String split, ReadOptions options) {
        return read(dir, split, null, options);
    }

    /**
     * Reads {@code split} of {@code dir} with the given classes: an object with another name is a bad
     * record.
     *
     * @param classNames class names in class order (category ids 1..K), or null to decide from the data
     * @throws IllegalArgumentException when {@code classNames} has duplicates or empty names
     * @throws BadInputException on a directory that is not VOC-shaped, malformed XML, or (per
     *                           {@code options}) a bad record
     */
    public static ReadResult read(Path dir, String split, List<String> classNames, ReadOptions options) {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, null, "no such directory");
        if (!Files.isDirectory(dir.resolve("Annotations"))) {
            throw new BadInputException(dir, null, "not a Pascal VOC directory: no Annotations/ folder");
        }
        String s = split != null ? split : VocSplit.defaultSplit(dir);
        Path splitFile = VocSplit.file(dir, s);
        List<VocSplit.Entry> entries = VocSplit.read(splitFile);
        if (entries.isEmpty()) throw new BadInputException(splitFile, null, "the split lists no images");
        long[] ids = VocSplit.imageIds(entries);
        SkippedRecords skipped = new SkippedRecords(options);
        List<VocAnnotationFile> files = new ArrayList<>(entries.size());
        List<Integer> kept = new ArrayList<>(entries.size());
        Map<String, Integer> lineOfStem = new HashMap<>();
        VocXml xml = new VocXml();
        for (int i = 0; i < entries.size(); i++) {
            VocSplit.Entry e = entries.get(i);
            VocAnnotationFile file = readImage(dir, splitFile, e, lineOfStem, xml, skipped);
            if (file != null) {
                files.add(file);
                kept.add(i);
            }
        }
        List<Category> categories = categories(classNames, files);
        List<ImageRecord> records = toRecords(files, kept, entries, ids, categories, skipped);
        if (records.isEmpty()) {
            throw new BadInputException(splitFile, null, "no usable images (" + skipped.count() + " records skipped)");
        }
        return skipped.result(new Dataset(dir, List.of(dir), categories, records));
    }

    /** The split read when none is named: {@code trainval}, else {@code train}, else the only split file. */
    public static String defaultSplit(Path dir) {
        return VocSplit.defaultSplit(dir);
    }

    /** One listed image's checked annotation file, or null once its fault is reported. */
    private static VocAnnotationFile readImage(Path dir, Path splitFile, VocSplit.Entry e,
            Map<String, Integer> lineOfStem, VocXml xml, SkippedRecords skipped) {
        String where = "line " + e.line();
        Integer earlier = lineOfStem.putIfAbsent(e.stem(), e.line());
        if (earlier != null) {
            skipped.report(new BadInputException(splitFile, where, "duplicate image " + e.stem() + " (also line " + earlier + ")"));
            return null;
        }
        if (e.stem().contains("/") || e.stem().contains("\\") || e.stem().startsWith(".")) {
            skipped.report(new BadInputException(splitFile, where, "not an image stem: " + e.stem()));
            return null;
        }
        Path file = dir.resolve("Annotations").resolve(e.stem() + ".xml");
        if (!Files.isRegularFile(file)) {
            skipped.report(new BadInputException(splitFile, where, "annotation file not found: " + file));
            return null;
        }
        VocXml.Parsed parsed = xml.parse(file);
        try {
            return VocAnnotationFile.check(file, e.stem(), parsed, skipped);
        } catch (BadInputException bad) {
            skipped.report(bad);
            return null;
        }
    }

    /** The categories: as given, else the standard 20 when they cover every name read, else the names sorted. */
    static List<Category> categories(List<String> classNames, List<VocAnnotationFile> files) {
        List<String> names;
        if (classNames != null) {
            if (new java.util.HashSet<>(classNames).size() != classNames.size() || classNames.contains("")) {
                throw new IllegalArgumentException("class names must be distinct and non-empty: " + classNames);
            }
            names = classNames;
        } else {
            TreeSet<String> seen = new TreeSet<>();
            for (VocAnnotationFile f : files) {
                for (VocAnnotationFile.VocObject o : f.objects()) seen.add(o.name());
            }
            names = VocClasses.STANDARD.containsAll(seen) ? VocClasses.STANDARD : new ArrayList<>(seen);
        }
        List<Category> categories = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) categories.add(new Category(i + 1, names.get(i)));
        return categories;
    }

    private static List<ImageRecord> toRecords(List<VocAnnotationFile> files, List<Integer> kept,
            List<VocSplit.Entry> entries, long[] ids, List<Category> categories, SkippedRecords skipped) {
        Map<String, Integer> idOfName = new HashMap<>();
        for (Category c : categories) idOfName.put(c.name(), c.id());
        List<ImageRecord> records = new ArrayList<>(files.size());
        long nextId = 1;
        for (int j = 0; j < files.size(); j++) {
            VocAnnotationFile f = files.get(j);
            int i = kept.get(j);
            List<Annotation> anns = new ArrayList<>(f.objects().size());
            for (VocAnnotationFile.VocObject o : f.objects()) {
                Integer categoryId = idOfName.get(o.name());
                if (categoryId == null) {
                    skipped.report(new BadInputException(f.xml(), o.where(), "unknown class '" + o.name() + "'"));
                    continue;
                }
                float[] b = o.box();
                anns.add(new Annotation(nextId++, categoryId, b[0], b[1], b[2], b[3],
                        (double) (b[2] - b[0]) * (b[3] - b[1]), o.difficult(), false));
            }
            String stem = entries.get(i).stem();
            records.add(new ImageRecord(ids[i], stem, "JPEGImages/" + f.fileName(), f.width(), f.height(), anns));
        }
        return records;
    }
}
