package org.rcnn4j.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rcnn4j.data.Dataset;
import org.rcnn4j.data.Detection;
import org.rcnn4j.data.ImageRecord;
import org.rcnn4j.modeling.Autograd;
import org.rcnn4j.preprocess.ImageDecoder;
import org.rcnn4j.proposals.ProposalSource;
import org.rcnn4j.proposals.ProposalsFileSource;

/**
 * {@link Detector} called from threads of the caller's own pool, as a service calls it: libtorch
 * starts each new thread recording operations for backward, and a detection must not record (its
 * proposal source, called in the middle of the detection, sees recording off) while leaving the
 * thread as it found it; and the detections are those of the loading thread.
 */
class DetectorThreadsTest {
    @Test
    void detectsWithoutRecordingOnNewThreadsAndLeavesTheirStateAlone() throws Exception {
        Dataset images = SavedModelFixtureTest.images();
        List<Boolean> recordingInside = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Detector detector = Detector.load(SavedModelFixtureTest.FIXTURES.resolve("fast-rcnn"))) {
            ProposalSource file = ProposalsFileSource.read(SavedModelFixtureTest.FIXTURES.resolve("proposals.json"), images);
            detector.useProposals((record, pixels) -> {
                recordingInside.add(Autograd.isRecording());
                return file.proposals(record, pixels);
            });
            List<List<Detection>> here = new ArrayList<>();
            List<CompletableFuture<List<Detection>>> there = new ArrayList<>();
            for (ImageRecord im : images.images()) {
                here.add(detector.detect(ImageDecoder.decode(images.imagePath(im)), im));
                there.add(CompletableFuture.supplyAsync(() -> {
                    assertTrue(Autograd.isRecording(), "libtorch starts a new thread recording");
                    List<Detection> found = detector.detect(ImageDecoder.decode(images.imagePath(im)), im);
                    assertTrue(Autograd.isRecording(), "the thread's state is put back");
                    return found;
                }, pool));
            }
            for (int i = 0; i < here.size(); i++) assertEquals(here.get(i), there.get(i).get(120, TimeUnit.SECONDS), "image " + i);
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(2 * images.images().size(), recordingInside.size());
        assertTrue(recordingInside.stream().noneMatch(r -> r), "recording inside a detection: " + recordingInside);
    }
}
