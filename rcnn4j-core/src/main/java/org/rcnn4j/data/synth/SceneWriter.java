package org.rcnn4j.data.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.rcnn4j.data.Annotation;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.io.AtomicFiles;

/**
 * Renders the scenes of one spec on a thread pool, writes each as {@code %06d.png} (atomically)
 * and gathers the ground truth in image order, so ids never depend on which thread finished first.
 */
final class SceneWriter {
    private final SceneGenerator generator;
    private final SynthSpec spec;
    private final Path dir;

    SceneWriter(SceneGenerator generator, SynthSpec spec, Path dir) {
        this.generator = generator;
        this.spec = spec;
        this.dir = dir;
    }

    /** The PNG name of image {@code index} (0-based): its 1-based id, six digits. */
    static String stem(int index) {
        return String.format("%06d", index + 1);
    }

    Dataset write(IntConsumer progress, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be >= 1, not " + parallelism);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<List<SceneObject>> objects = parallelism == 1 || spec.images() < 2
                ? sequential(progress)
                : parallel(progress, parallelism);
        return toDataset(objects);
    }

    private List<List<SceneObject>> sequential(IntConsumer progress) {
        List<List<SceneObject>> out = new ArrayList<>();
        for (int i = 0; i < spec.images(); i++) {
            out.add(renderAndWrite(i));
            progress.accept(i + 1);
        }
        return out;
    }

    private List<List<SceneObject>> parallel(IntConsumer progress, int parallelism) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "rcnn4j-synth");
            t.setDaemon(true);
            return t;
        });
        int[] done = {0};
        try {
            List<Future<List<SceneObject>>> futures = new ArrayList<>();
            for (int i = 0; i < spec.images(); i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    List<SceneObject> o = renderAndWrite(index);
                    synchronized (done) {
                        progress.accept(++done[0]);
                    }
                    return o;
                }));
            }
            List<List<SceneObject>> out = new ArrayList<>();
            for (Future<List<SceneObject>> f : futures) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } finally {
            // Wait for the workers: a caller cleaning up after a failure must not race their writes.
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<SceneObject> renderAndWrite(int index) {
        Scene scene = generator.scene(spec, index);
        AtomicFiles.writeUnchecked(dir.resolve(stem(index) + ".png"), out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(scene.image());
            } finally {
                writer.dispose();
            }
        });
        return scene.objects();
    }

    private Dataset toDataset(List<List<SceneObject>> objects) {
        List<ImageRecord> records = new ArrayList<>();
        long annId = 1;
        for (int i = 0; i < objects.size(); i++) {
            List<Annotation> anns = new ArrayList<>();
            for (SceneObject o : objects.get(i)) {
                int categoryId = generator.categories().get(o.classIndex() - 1).id();
                anns.add(Annotation.of(annId++, categoryId, o.x1(), o.y1(), o.x2(), o.y2()));
            }
            records.add(new ImageRecord(i + 1, stem(i), stem(i) + ".png", spec.size(), spec.size(), anns));
        }
        return new Dataset(dir, List.of(dir), generator.categories(), records);
    }
}
