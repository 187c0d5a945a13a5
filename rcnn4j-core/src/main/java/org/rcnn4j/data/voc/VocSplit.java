package org.rcnn4j.data.voc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.rcnn4j.io.BadInputException;

/**
 * A split file {@code ImageSets/Main/<split>.txt}: one image stem per line (the first
 * whitespace-separated token, so the devkit's per-class files {@code "000005 -1"} read too; blank
 * lines are ignored), and the choice of split and of image ids.
 */
final class VocSplit {
    /** One listed image: its stem and the 1-based line it is on. */
    record Entry(String stem, int line) {}

    private VocSplit() {}

    static Path file(Path dir, String split) {
        return dir.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
    }

    /**
     * The split to read when none is named: {@code trainval}, else {@code train}, else the only
     * split file there is (one without a class prefix such as {@code aeroplane_train}).
     */
    static String defaultSplit(Path dir) {
        for (String s : List.of("trainval", "train")) {
            if (Files.isRegularFile(file(dir, s))) return s;
        }
        Set<String> splits = new TreeSet<>();
        Path main = dir.resolve("ImageSets").resolve("Main");
        if (Files.isDirectory(main)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(main, "*.txt")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    name = name.substring(0, name.length() - 4);
                    if (!name.contains("_")) splits.add(name);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + main, e);
            }
        }
        if (splits.size() == 1) return splits.iterator().next();
        throw new BadInputException(main, null, splits.isEmpty() ? "no split files (<split>.txt)"
                : "no trainval.txt or train.txt; name one of the splits " + splits);
    }

    /** The entries of a split file, in order, duplicates included. */
    static List<Entry> read(Path file) {
        if (!Files.isRegularFile(file)) throw new BadInputException(file, null, "no such split file");
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty()) continue;
                int space = indexOfWhitespace(t);
                entries.add(new Entry(space < 0 ? t : t.substring(0, space), n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return entries;
    }

    /**
     * Image ids for the entries: each stem as a number when every stem is a whole number and no two
     * are equal ({@code 000005} is 5), else the 1-based position in the split.
     */
    static long[] imageIds(List<Entry> entries) {
        long[] ids = new long[entries.size()];
        Set<Long> seen = new HashSet<>();
        boolean numeric = true;
        for (int i = 0; i < ids.length && numeric; i++) {
            String stem = entries.get(i).stem();
            numeric = !stem.isEmpty() && stem.length() <= 18 && stem.chars().allMatch(c -> c >= '0' && c <= '9');
            if (numeric) {
                ids[i] = Long.parseLong(stem);
                numeric = seen.add(ids[i]);
            }
        }
        if (!numeric) {
            for (int i = 0; i < ids.length; i++) ids[i] = i + 1;
        }
        return ids;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return i;
        }
        return -1;
    }
}
