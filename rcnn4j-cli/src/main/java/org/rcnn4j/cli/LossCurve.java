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
        Map<String, List<Double>> series = new LinkedHashMap<>();
        List<Double> x = new ArrayList<>();
        for (int start = 0; start < history.size(); start += window) {
            int end = Math.min(history.size(), start + window);
            Map<String, Double> sums = new LinkedHashMap<>();
            for (int i = start; i < end; i++) {
                IterationStats s = history.get(i);
                sums.merge("total", (double) s.loss(), Double::sum);
                s.losses().forEach((k, v) -> sums.merge(k, (double) v, Double::sum));
            }
            x.add((double) history.get(end - 1).iteration() + 1);
            int n = end - start;
            sums.forEach((k, v) -> series.computeIfAbsent(k, key -> new ArrayList<>()).add(v / n));
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("training loss")
                .xAxisTitle("iteration").yAxisTitle("loss").build();
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), x, e.getValue());
            s.setMarker(SeriesMarkers.NONE);
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }
}
