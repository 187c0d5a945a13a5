package org.rcnn4j.spark;

import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.rcnn4j.detector.Detector;
import org.rcnn4j.proposals.SelectiveSearchSource;

/**
 * The detectors of one JVM (an executor, or the driver in local mode), each loaded by the first task
 * that needs it and then shared by every later task and partition: a model's weights are read and
 * checked once per executor, not once per partition, and the tasks running at once share one copy
 * ({@link Detector} is safe to call from several threads; each call works in an NDManager of its own,
 * closed before it returns, so native memory goes back after every image).
 *
 * <p>libtorch's threads: {@link #get} sets libtorch's intra-op threads to {@code threads} when it
 * loads the first model. The count is process-wide, and each task thread that calls into libtorch
 * gets a team of that many, so with tasks of {@code spark.task.cpus} cores each (the default) the
 * executor runs at most its cores in libtorch threads: tasks × threads ≤ cores. Inter-op threads
 * stay at one, as the command line has them.
 *
 * <p>Detectors are never closed: they live as long as the executor, whose exit returns their memory.
 */
final class ExecutorDetectors {
    private static final Map<String, Detector> LOADED = new HashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorDetectors() {}

    /**
     * The detector of {@code model} ({@link ModelLocation}), loaded on the first call in this JVM.
     * A model on external proposals (R-CNN, SPP-net, Fast R-CNN) gets selective search on each image,
     * as {@code detect} runs it without a proposals file.
     *
     * @param threads libtorch's intra-op threads, set with the first model this JVM loads
     * @throws org.rcnn4j.io.BadInputException when the model directory is missing or damaged
     */
    static synchronized Detector get(String model, int threads) {
        Detector detector = LOADED.get(model);
        if (detector != null) return detector;
        if (LOADED.isEmpty()) prepareEngine(threads);
        detector = Detector.load(ModelLocation.resolve(model));
        if (detector.takesProposals()) detector.useProposals(SelectiveSearchSource.onEachImage());
        if (LOADED.isEmpty()) JniUtils.setNumThreads(threads);
        LOADED.put(model, detector);
        LOADS.incrementAndGet();
        return detector;
    }

    /** Models loaded by this JVM so far: one per model, however many tasks and partitions ran. */
    static int loads() {
        return LOADS.get();
    }

    /**
     * Settings DJL reads once, when the engine starts, unless the user set them
     * ({@code spark.executor.extraJavaOptions}): never download anything (the natives are in the job's
     * jar) and one inter-op thread. An engine already started (local mode, a test) keeps its own.
     */
    private static void prepareEngine(int threads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) System.setProperty(property, value);
    }
}
