package org.rcnn4j.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A detection dataset in memory: categories, images and their objects, wherever they came from
 * (COCO JSON, a Pascal VOC directory, the synthetic generators).
 *
 * <p>Class indices: detectors work with a contiguous index where 0 is background and
 * {@code 1..K} are the categories in the order of {@link #categories()}; {@link #classIndex} and
 * {@link #categoryOfClass} convert between that index and the dataset's own category ids.
 *
 * <p>Image files: {@link #imageDirs()} are searched in order for {@link ImageRecord#fileName()}
 * (for COCO: the JSON's folder, then its {@code images/} subfolder; for VOC: the directory root).
 * Nothing is opened until a loader asks.
 */
public final class Dataset {
    private final Path source;
    private final List<Path> imageDirs;
    private final List<Category> categories;
    private final List<ImageRecord> images;
    private final Map<Integer, Integer> classIndexById = new HashMap<>();
    private final Map<Long, Integer> imageIndexById = new HashMap<>();
    private final Map<String, Integer> imageIndexByName = new HashMap<>();

    /**
     * @param source     the file or directory the dataset was read from (for messages); may be null
     * @param imageDirs  folders searched in order for image files
     * @param categories categories in class order (class index 1 is the first)
     * @param images     images; ids must be unique
     * @throws IllegalArgumentException on duplicate image or category ids (readers report these as
     *                                  {@link org.rcnn4j.io.BadInputException} before getting here)
     */
    public Dataset(Path source, List<Path> imageDirs, List<Category> categories, List<ImageRecord> images) {
        this.source = source;
        this.imageDirs = List.copyOf(imageDirs);
        this.categories = List.copyOf(categories);
        this.images = Collections.unmodifiableList(new ArrayList<>(images));
        for (int i = 0; i < this.categories.size(); i++) {
            if (classIndexById.put(this.categories.get(i).id(), i + 1) != null) {
                throw new IllegalArgumentException("duplicate category id " + this.categories.get(i).id());
            }
        }
        for (int i = 0; i < this.images.size(); i++) {
            ImageRecord im = this.images.get(i);
            if (imageIndexById.put(im.id(), i) != null) {
                throw new IllegalArgumentException("duplicate image id " + im.id());
            }
            imageIndexByName.putIfAbsent(im.name(), i);
        }
    }

    public Path source() {
        return source;
    }

    public List<Path> imageDirs() {
        return imageDirs;
    }

    public List<Category> categories() {
        return categories;
    }

    public List<ImageRecord> images() {
        return images;
    }

    public int numClasses() {
        return categories.size();
    }

    /** Class names in class-index order, without background: {@code names[i]} is class {@code i + 1}. */
    public List<String> classNames() {
        List<String> names = new ArrayList<>(categories.size());
        for (Category c : categories) names.add(c.name());
        return names;
    }

    /** Contiguous class index (1..K) of a category id, or -1 when the dataset has no such category. */
    public int classIndex(int categoryId) {
        return classIndexById.getOrDefault(categoryId, -1);
    }

    /** The category of class index {@code 1..K}. */
    public Category categoryOfClass(int classIndex) {
        return categories.get(classIndex - 1);
    }

    public Optional<Category> category(int categoryId) {
        int k = classIndex(categoryId);
        return k < 0 ? Optional.empty() : Optional.of(categories.get(k - 1));
    }

    public Optional<ImageRecord> image(long imageId) {
        Integer i = imageIndexById.get(imageId);
        return i == null ? Optional.empty() : Optional.of(images.get(i));
    }

    /**
     * Finds an image as a results file names it: by {@link ImageRecord#name()} first, then, when
     * the token is a whole number, by {@link ImageRecord#id()}.
     */
    public Optional<ImageRecord> imageByToken(String token) {
        Integer i = imageIndexByName.get(token);
        if (i != null) return Optional.of(images.get(i));
        try {
            return image(Long.parseLong(token.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Where {@code image}'s file is: the first image folder that has it, else the first candidate. */
    public Path imagePath(ImageRecord image) {
        Path first = null;
        for (Path dir : imageDirs) {
            Path p = dir.resolve(image.fileName());
            if (first == null) first = p;
            if (Files.exists(p)) return p;
        }
        return first != null ? first : Path.of(image.fileName());
    }

    /** Number of annotations over all images. */
    public long numAnnotations() {
        long n = 0;
        for (ImageRecord im : images) n += im.annotations().size();
        return n;
    }

    /** A dataset with the same categories and folders and only the given images. */
    public Dataset withImages(List<ImageRecord> subset) {
        return new Dataset(source, imageDirs, categories, subset);
    }

    /**
     * What training reads from this dataset, as a short digest a checkpoint records and a resume
     * compares ({@code train --resume} on other data would otherwise continue silently): the
     * categories (id, name) and each image's id, file name, size and objects (category, box, area,
     * flags), in order. Not the folders: a dataset moved elsewhere keeps its fingerprint.
     *
     * @return {@code "<n> images, sha256:<16 hex digits>"}
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
            for (Category c : categories) {
                out.writeInt(c.id());
                out.writeUTF(c.name());
            }
            for (ImageRecord im : images) {
                out.writeLong(im.id());
                out.writeUTF(im.fileName());
                out.writeInt(im.width());
                out.writeInt(im.height());
                out.writeInt(im.annotations().size());
                for (Annotation a : im.annotations()) {
                    out.writeInt(a.categoryId());
                    for (float v : a.box()) out.writeFloat(v);
                    out.writeDouble(a.area());
                    out.writeBoolean(a.difficult());
                    out.writeBoolean(a.crowd());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a null stream does not fail
        }
        return images.size() + " images, sha256:" + HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /** Category names by id, in class order. */
    public Map<Integer, String> categoryNames() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (Category c : categories) m.put(c.id(), c.name());
        return m;
    }
}
