package org.rcnn4j.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a detector's training stages in order ({@link TrainingStage}): a resume skips the stages
 * its record says are finished and continues the next from its own checkpoint. The iterations'
 * history is numbered over the whole pipeline, and each stage's wall time is kept.
 */
public final class TrainingPipeline {
    /** Where a pipeline records finished stages, so that a resume can skip them. */
    public interface Record {
        /** Stages finished by an earlier run (0 without a record). */
        int stagesDone();

        /** Seconds each stage has taken so far (0 for stages not run). */
        double[] seconds();

        /** Records stage {@code number} (1-based) as finished. */
        void stageDone(int number, TrainingStage stage, double[] seconds) throws IOException;
    }

    /** A record for a pipeline of one stage, whose own checkpoints are all a resume needs. */
    public static Record single() {
        return new Record() {
            @Override
            public int stagesDone() {
                return 0;
            }

            @Override
            public double[] seconds() {
                return new double[1];
            }

            @Override
            public void stageDone(int number, TrainingStage stage, double[] seconds) {}
        };
    }

    /**
     * @param history every SGD iteration run by this call, numbered over the whole pipeline
     * @param seconds each stage's wall time, earlier runs included
     */
    public record Result(List<IterationStats> history, double[] seconds) {}

    private TrainingPipeline() {}

    /** Runs {@code stages}, after the ones {@code record} holds as finished when {@code resume}. */
    public static Result run(List<TrainingStage> stages, Record record, boolean resume, TrainingListener listener)
            throws IOException {
        int done = resume ? record.stagesDone() : 0;
        double[] seconds = resume ? record.seconds() : new double[stages.size()];
        long total = 0;
        for (TrainingStage s : stages) total += s.size();
        List<IterationStats> history = new ArrayList<>();
        long offset = 0;
        for (int k = 0; k < stages.size(); k++) {
            TrainingStage stage = stages.get(k);
            if (k >= done) {
                listener.onStageStart(stage, k + 1, stages.size());
                long t0 = System.nanoTime();
                List<IterationStats> h = stage.run(resume, listener);
                seconds[k] += (System.nanoTime() - t0) / 1e9;
                for (IterationStats s : h) history.add(renumber(s, offset, total));
                record.stageDone(k + 1, stage, seconds);
                listener.onStageEnd(stage, k + 1, stages.size());
            }
            offset += stage.size();
        }
        return new Result(history, seconds);
    }

    private static IterationStats renumber(IterationStats s, long offset, long total) {
        if (offset == 0 && s.iterations() == total) return s;
        return new IterationStats(offset + s.iteration(), total, s.losses(), s.loss(), s.learningRate(),
                s.imagesPerSecond(), s.etaSeconds());
    }
}
