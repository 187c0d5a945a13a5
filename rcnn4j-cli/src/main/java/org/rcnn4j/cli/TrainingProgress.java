package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.rcnn4j.io.ResidentMemory;
import org.rcnn4j.training.IterationStats;
import org.rcnn4j.training.TrainingListener;
import org.rcnn4j.training.TrainingStage;

/**
 * The training progress line: iteration, loss terms, learning rate, images/s, ETA and the process's
 * resident memory (native included, which the JVM's own figures leave out).
 */
final class TrainingProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean terminal;
    private long lastPrint;

    TrainingProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onIteration(IterationStats s) {
        long done = s.iteration() + 1;
        boolean last = done == s.iterations();
        long every = Math.max(1, s.iterations() / 20);
        long now = System.nanoTime();
        if (terminal ? (now - lastPrint > 250_000_000L || last) : (done % every == 0 || last || s.iteration() == 0)) {
            lastPrint = now;
            StringBuilder terms = new StringBuilder();
            s.losses().forEach((k, v) -> terms.append(String.format(Locale.ROOT, " %s %.3f", k, v)));
            String line = String.format(Locale.ROOT, "iter %d/%d loss %.3f (%s) lr %.4f %.1f img/s ETA %s rss %s",
                    done, s.iterations(), s.loss(), terms.toString().trim(), s.learningRate(), s.imagesPerSecond(),
                    Progress.formatSeconds(s.etaSeconds()), ResidentMemory.format(ResidentMemory.currentBytes()));
            if (terminal) out.print("\r" + line + (last ? "\n" : "")); else out.println(line);
            out.flush();
        }
    }

    @Override
    public void onStageStart(TrainingStage stage, int number, int count) {
        if (count == 1) return;
        out.printf(Locale.ROOT, "step %d/%d: %s, %s (%d %s)%n", number, count, stage.name(), stage.description(), stage.size(),
                stage.unit());
        out.flush();
    }

    @Override
    public void onStageProgress(TrainingStage stage, long done, long total, double etaSeconds, String detail) {
        boolean last = done == total;
        long every = Math.max(1, total / 20);
        long now = System.nanoTime();
        if (terminal ? (now - lastPrint > 250_000_000L || last) : (done % every == 0 || last || done == 1)) {
            lastPrint = now;
            String line = String.format(Locale.ROOT, "%s %d/%d %s%s", stage.name(), done, total, stage.unit(),
                    (Double.isNaN(etaSeconds) ? "" : " ETA " + Progress.formatSeconds(etaSeconds)) + (detail.isEmpty() ? "" : ", " + detail));
            if (terminal) out.print("\r" + line + (last ? "\n" : "")); else out.println(line);
            out.flush();
        }
    }

    @Override
    public void onCheckpoint(long iterationsDone) {
        if (!terminal) {
            out.println("checkpoint after " + iterationsDone + " iterations");
            out.flush();
        }
    }
}
