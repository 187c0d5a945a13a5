package org.rcnn4j.pretrain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.rcnn4j.io.AtomicFiles;

/**
 * Pre-trained backbone weights that ship inside rcnn4j's jar, so that a user who names only a
 * backbone still starts from a pre-trained one, as the papers do (R-CNN §2.3, Fast R-CNN §2.2).
 *
 * <p>This build ships {@code tiny} pre-trained on Fashion-MNIST's ten labels (made by
 * {@code ./rcnn4j pretrain --backbone tiny --data fashion --iterations 4000 --validation-items 2000
 * --seed 0}: validation accuracy 0.708 on 2000 items; 838 KB). The larger backbones' weights are
 * too large to ship; {@code rcnn4j pretrain} makes them.
 *
 * <p>Training code reads weights from files, so a shipped file is copied out of the jar on first
 * use into a cache folder ({@code $RCNN4J_CACHE}, else {@code $XDG_CACHE_HOME/rcnn4j}, else
 * {@code ~/.cache/rcnn4j}; the system's temporary folder when none is writable), under a name that
 * carries the first 12 hex digits of its SHA-256, so that another build's weights never mix with
 * these. The copy is written through a temporary file and a rename, with its JSON sidecar.
 */
public final class ShippedWeights {
    /**
     * The base learning rate (2 images per batch) a detector fine-tunes the shipped tiny at when the
     * user names none: on {@code shapes} it beat the general default of 0.02 for FPN (voc07 0.867
     * against 0.814 on 200 images, 0.909 against 0.890 on 1000) and Faster R-CNN (0.863 against
     * 0.834 on 200 images, training seed 0); for Fast R-CNN the two were within run-to-run noise
     * (0.773 against 0.800 on 200 images, 0.843 against 0.830 on 1000).
     * bench/results/small_data_defaults.md and learning_tests.md, 2026-11-24 and 2026-12-03.
     */
    public static final float FINE_TUNE_LR = 0.04f;

    /** Backbone name → resource name under this package. */
    private static final Map<String, String> SHIPPED = Map.of("tiny", "tiny-fashion.weights");

    private ShippedWeights() {}

    /** Whether this build ships pre-trained weights for {@code backbone}. */
    public static boolean has(String backbone) {
        return SHIPPED.containsKey(backbone);
    }

    /**
     * The shipped weights of {@code backbone} as a file (with its sidecar), copied out of the jar on
     * first use; empty when this build ships none for it.
     *
     * @throws UncheckedIOException when no cache folder can be written
     */
    public static Optional<Path> file(String backbone) {
        String name = SHIPPED.get(backbone);
        if (name == null) return Optional.empty();
        byte[] weights = resource(name);
        byte[] sidecar = resource(name + ".json");
        String stem = name.substring(0, name.length() - ".weights".length()) + "-" + sha256(weights).substring(0, 12);
        IOException last = null;
        for (Path dir : cacheDirs()) {
            Path file = dir.resolve(stem + ".weights");
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != weights.length) {
                    AtomicFiles.write(file, out -> out.write(weights));
                }
                Path json = PretrainedInfo.sidecarOf(file);
                if (!Files.isRegularFile(json)) AtomicFiles.write(json, out -> out.write(sidecar));
                return Optional.of(file);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("cannot write the shipped " + backbone + " weights to any cache folder", last);
    }

    /** Where the copies go, in order of preference. */
    static Path[] cacheDirs() {
        String explicit = System.getenv("RCNN4J_CACHE");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = Path.of(System.getProperty("user.home"), ".cache");
        Path first = explicit != null && !explicit.isEmpty() ? Path.of(explicit)
                : (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home).resolve("rcnn4j");
        return new Path[] {first, Path.of(System.getProperty("java.io.tmpdir"), "rcnn4j-" + System.getProperty("user.name"))};
    }

    private static byte[] resource(String name) {
        try (InputStream in = ShippedWeights.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("this build lacks its resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
