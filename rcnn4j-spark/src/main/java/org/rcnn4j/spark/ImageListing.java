package org.rcnn4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rcnn4j.data.ImageIds;
import org.rcnn4j.io.BadInputException;

/**
 * The job's images, listed on the driver as {@code detect} lists its arguments, and numbered as
 * {@code detect --json} numbers them ({@link ImageIds}): a file is taken whatever its name, a
 * directory gives its files with an image suffix (not its subdirectories), in name order; a glob
 * ({@code photos/2024-*}) gives each match so. Ids are given in that order, so a file's
 * {@code image_id} is the one {@code detect --json} gives it for the same argument.
 *
 * <p>Only names are held on the driver (about 100 bytes an image); the pixels are read by the tasks.
 *
 * @param paths    fully qualified file paths, in order
 * @param imageIds their ids, in the same order
 */
record ImageListing(List<String> paths, List<Long> imageIds) {
    /**
     * Lists {@code input}, a file, a directory or a glob on any Hadoop file system.
     *
     * @throws BadInputException naming {@code input} when nothing matches or no image file is found
     */
    static ImageListing of(String input, Configuration conf) throws IOException {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(pattern);
        if (matches == null || matches.length == 0) throw new BadInputException(input, null, "no such file or directory", null);
        List<String> paths = new ArrayList<>();
        for (FileStatus match : matches) {
            if (match.isDirectory()) {
                FileStatus[] files = fs.listStatus(match.getPath(), p -> ImageIds.hasImageSuffix(p.getName()));
                Arrays.sort(files, Comparator.comparing(f -> f.getPath().toString()));
                for (FileStatus f : files) if (f.isFile()) paths.add(f.getPath().toString());
            } else {
                paths.add(match.getPath().toString());
            }
        }
        if (paths.isEmpty()) {
            throw new BadInputException(input, null, "no image files (" + String.join(", ", ImageIds.SUFFIXES) + ")", null);
        }
        Set<Long> used = new HashSet<>();
        List<Long> ids = new ArrayList<>(paths.size());
        for (String p : paths) ids.add(ImageIds.next(ImageIds.stem(new Path(p).getName()), used));
        return new ImageListing(paths, ids);
    }
}
