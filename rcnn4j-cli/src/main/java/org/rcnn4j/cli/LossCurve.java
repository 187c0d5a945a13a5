package org.rcnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rcnn4j.io.AtomicFiles;
import org.rcnn4j.training.IterationStats;

/** The loss curve of a training run as a PNG: each term and the total, smoothed over windows. */
final class LossCurve {
    private LossCurve() {}

    static void write(List<IterationStats> history, Path png) throws IOException {
        if (history.isEmpty()) return;
        int window = Math.max(1, history.size() / 200);
        // Each series keeps its own x: a term may be absent from part of the run (the RPN terms in
        // the Fast R-CNN steps of alternating training).
        Map<String, List<Double>> xs = new LinkedHashMap<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (int start = 0; start < history.size(); start += window) {
            int end = Math.min(history.size(), start + window);
            Map<String, double[]> sums = new LinkedHashMap<>();
            for (int i = start; i < end; i++) {
                IterationStats s = history.get(i);
                add(sums, "total", s.loss());
                s.losses().forEach((k, v) -> add(sums, k, v));
            }
            double x = history.get(end - 1).iteration() + 1;
            sums.forEach((k, v) -> {
                xs.computeIfAbsent(k, key -> new ArrayList<>()).add(x);
                series.computeIfAbsent(k, key -> new ArrayList<>()).add(v[0] / v[1]);
            });
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("training loss")
                .xAxisTitle("iteration").yAxisTitle("loss").build();
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), xs.get(e.getKey()), e.getValue());
            s.setMarker(SeriesMarkers.NONE);
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }

    /** Adds {@code v} to the sum and count of {@code key}. */
    private static void add(Map<String, double[]> sums, String key, double v) {
        double[] sc = sums.computeIfAbsent(key, k -> new double[2]);
        sc[0] += v;
        sc[1]++;
    }
}
