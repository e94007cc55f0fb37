package io.github.sqlitepool.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.github.sqlitepool.benchmarks.load.CellResult;
import io.github.sqlitepool.benchmarks.load.LoadResults;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;

/** Throughput against thread count for one workload: a line per pool, the serial limit as a flat dashed line. */
public final class ThroughputChart {

    private ThroughputChart() {
    }

    /** Writes {@code <workload>.png} into {@code directory} and returns its path. */
    public static Path write(LoadResults results, Workload workload, List<Integer> threads, Path directory)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title(workload.cliName() + ": throughput vs threads (pool of " + Target.POOL_SIZE + ")")
                .xAxisTitle("threads (log scale)").yAxisTitle("ops/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisDecimalPattern("#,###");

        for (Target target : Target.values()) {
            if (target.serial()) {
                continue;
            }
            List<CellResult> cells = threads.stream()
                    .map(n -> results.find(workload, target, n)).flatMap(java.util.Optional::stream).toList();
            if (!cells.isEmpty()) {
                chart.addSeries(target.label(), cells.stream().map(c -> (double) c.threads()).toList(),
                        cells.stream().map(CellResult::opsPerSecond).toList());
            }
        }
        results.serialOpsPerSecond(workload).ifPresent(serial -> {
            double min = threads.stream().mapToInt(Integer::intValue).min().orElse(1);
            double max = threads.stream().mapToInt(Integer::intValue).max().orElse(1);
            XYSeries limit = chart.addSeries("serial limit (1 thread, 1 connection)",
                    List.of(min, Math.max(max, min * 2)), List.of(serial, serial));
            limit.setMarker(SeriesMarkers.NONE);
            limit.setLineColor(Color.DARK_GRAY);
            limit.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {8f, 6f}, 0f));
        });
        Path file = directory.resolve(workload.cliName() + ".png");
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
