package org.rcnn4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.rcnn4j.io.ResidentMemory;

/**
 * Progress of long work: on a terminal one line redrawn in place (done/total, rate, ETA, the process's
 * resident memory); otherwise (logs, CI) a plain line at every 10 % step. Thread-safe: workers may
 * call {@link #step()}.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter out;
    private final String label;
    private final String unit;
    private final long total;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long done;
    /** Units already done when this progress began, which its rate does not count. */
    private long base;
    private long lastDraw;
    private int lastDecile = -1;

    Progress(PrintWriter out, String label, long total, String unit) {
        this(out, label, total, unit, System.console() != null);
    }

    Progress(PrintWriter out, String label, long total, String unit, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.terminal = terminal;
    }

    /**
     * Begins at {@code n} units done, whose time this progress did not see (work it takes over after
     * the first unit): the rate and ETA count only the units after them.
     */
    synchronized Progress startingAt(long n) {
        done = n;
        base = n;
        return this;
    }

    synchronized void step() {
        advanceTo(done + 1);
    }

    synchronized void advanceTo(long n) {
        done = n;
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw > 200_000_000L || done == total) {
                lastDraw = now;
                out.print("\r" + line(now));
                out.flush();
            }
        } else {
            int decile = total <= 0 ? 10 : (int) (10 * done / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(now));
            }
        }
    }

    private String line(long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - base) / seconds : 0;
        String eta = total <= done ? "0s" : rate > 0 ? formatSeconds((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s %d/%d %s (%.1f %s/s, ETA %s, rss %s)",
                label, done, total, unit, rate, unit, eta, ResidentMemory.format(ResidentMemory.currentBytes()));
    }

    static String formatSeconds(double s) {
        long t = Math.round(s);
        if (t < 60) return t + "s";
        if (t < 3600) return (t / 60) + "m" + String.format(Locale.ROOT, "%02d", t % 60) + "s";
        return (t / 3600) + "h" + String.format(Locale.ROOT, "%02d", (t % 3600) / 60) + "m";
    }

    @Override
    public synchronized void close() {
        if (terminal) {
            out.print("\r" + line(System.nanoTime()) + "\n");
            out.flush();
        }
    }
}
