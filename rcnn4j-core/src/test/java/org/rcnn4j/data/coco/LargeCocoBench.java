package org.rcnn4j.data.coco;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.ReadOptions;

/**
 * Not a test: measures {@link CocoReader} on a train2017-sized synthetic file (118,287 images,
 * 860,001 annotations with polygons, about 450 MB).
 *
 * <pre>
 * java -cp CP org.rcnn4j.data.coco.LargeCocoBench generate /tmp/coco-train2017-synth.json
 * java -Xmx512m -cp CP org.rcnn4j.data.coco.LargeCocoBench load /tmp/coco-train2017-synth.json [repeats]
 * </pre>
 * {@code load} reports the wall time of each read, the peak heap (sum of the heap pools' peak use
 * during the reads, garbage included) and the heap still used by the dataset after a full GC.
 */
public final class LargeCocoBench {
    private LargeCocoBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("generate")) {
            long t0 = System.nanoTime();
            new SyntheticCoco(118_287, 860_001, 28, 2017).write(file, false);
            System.out.printf("wrote %s: %.1f MB in %.1f s%n", file, Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);
            return;
        }
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.out.printf("file %.1f MB, max heap %d MB%n", Files.size(file) / 1e6, Runtime.getRuntime().maxMemory() >> 20);
        long before = usedAfterGc();
        Dataset dataset = null;
        for (int r = 0; r < repeats; r++) {
            dataset = null;
            usedAfterGc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
            long t0 = System.nanoTime();
            dataset = CocoReader.read(file, ReadOptions.strict()).dataset();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            System.out.printf("read %d: %.2f s, %d images, %d annotations, peak heap %d MB%n", r + 1, seconds,
                    dataset.images().size(), dataset.numAnnotations(), peak >> 20);
        }
        long retained = usedAfterGc() - before;
        System.out.printf("dataset retained after GC: %d MB%n", retained >> 20);
        System.out.println(dataset.images().get(0).annotations().size() >= 0 ? "ok" : "");
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
