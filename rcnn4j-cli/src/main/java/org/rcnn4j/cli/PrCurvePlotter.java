package org.rcnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rcnn4j.evaluation.PrecisionRecall;
import org.rcnn4j.io.AtomicFiles;

/** Writes one precision/recall PNG per class (XChart), named {@code pr_<class>.png}. */
final class PrCurvePlotter {
    private PrCurvePlotter() {}

    /** @return the files written, in class order */
    static List<Path> write(List<PrecisionRecall> curves, String metric, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (PrecisionRecall pr : curves) {
            XYChart chart = new XYChartBuilder()
                    .width(640)
                    .height(480)
                    .title(String.format(Locale.ROOT, "%s  (%s AP %s)", pr.className(), metric,
                            pr.ap() < 0 ? "n/a: no ground truth" : String.format(Locale.ROOT, "%.4f", pr.ap())))
                    .xAxisTitle("recall")
                    .yAxisTitle("precision")
                    .build();
            chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
            chart.getStyler().setLegendVisible(false);
            double[] r = pr.recall().length > 0 ? pr.recall() : new double[] {0};
            double[] p = pr.precision().length > 0 ? pr.precision() : new double[] {0};
            XYSeries s = chart.addSeries(pr.className(), r, p);
            s.setMarker(SeriesMarkers.NONE);
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            Path file = dir.resolve("pr_" + safeName(pr.className()) + ".png");
            AtomicFiles.write(file, out -> out.write(png));
            written.add(file);
        }
        return written;
    }

    static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
