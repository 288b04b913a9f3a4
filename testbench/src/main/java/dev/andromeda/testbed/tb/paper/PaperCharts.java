package dev.andromeda.testbed.tb.paper;

import dev.andromeda.testbed.tb.ladder.VersionLadder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code tb paper --report}'s charts, drawn with XChart (headless): the version ladder's
 * three measures by rung, the hoverboards' share against the offload flows programmed, and
 * the live-migration blackouts as a cumulative distribution. Each is written as a PNG beside
 * the page and embedded in it.
 */
public final class PaperCharts {
    static {
        // Before any AWT class loads (the charts' colours and fonts): no display on servers and in CI.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private PaperCharts() {
    }

    /** One measure of every rung, a bar a rung, with the paper's first-to-last ratio in the title. */
    public static CategoryChart ladder(VersionLadder.Result r, String measure, String unit,
                                       ToDoubleFunction<VersionLadder.Point> value, String paper, boolean oneDecimal) {
        CategoryChart c = new CategoryChartBuilder().width(560).height(360)
                .title(measure + " by version (" + paper + ")").xAxisTitle("Andromeda version").yAxisTitle(unit)
                .build();
        List<String> rungs = r.points().stream().map(VersionLadder.Point::rung).toList();
        List<Double> ys = r.points().stream().map(value::applyAsDouble).toList();
        c.addSeries(measure, rungs, ys);
        c.getStyler().setLegendVisible(false).setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        // Each bar's value written on it: rungs two orders of magnitude apart stay readable (XChart
        // refuses a logarithmic axis for bars, which start at zero).
        c.getStyler().setLabelsVisible(true).setLabelsPosition(1.0).setLabelsFontColorAutomaticEnabled(false);
        c.getStyler().setDecimalPattern(oneDecimal ? "#,##0.0" : "#,##0.00");
        return c;
    }

    /** The hoverboards' share of bytes against the offload flows programmed (log x; the none-offloaded point is 100 %). */
    public static XYChart share(HoverboardShare.Result s) {
        XYChart c = new XYChartBuilder().width(760).height(380)
                .title(String.format(java.util.Locale.ROOT, "traffic through hoverboards vs offload flows (%,d flows,"
                        + " Pareto %.1f)", s.flows(), s.shape()))
                .xAxisTitle("offload flows programmed (log)").yAxisTitle("share through hoverboards (%)").build();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (HoverboardShare.Point p : s.curve()) {
            if (p.offloadFlows() > 0) {
                xs.add((double) p.offloadFlows());
                ys.add(100 * p.hoverboardShare());
            }
        }
        if (!xs.isEmpty()) {
            c.addSeries("via hoverboards", xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        c.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(100.0).setLegendVisible(false);
        return c;
    }

    /** Blackouts sorted: the fraction of migrations whose blackout was at most x ms. */
    public static XYChart blackouts(MigrationBlackout.Result m) {
        double[] b = m.blackoutMs().clone();
        Arrays.sort(b);
        XYChart c = new XYChartBuilder().width(760).height(380)
                .title(String.format(java.util.Locale.ROOT, "live-migration blackout, %d migrations (median %.2f ms;"
                        + " the paper's 65 ms)", m.migrations(), m.medianMs()))
                .xAxisTitle("blackout (ms)").yAxisTitle("migrations at most this long (%)").build();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            xs.add(b[i]);
            ys.add(100.0 * (i + 1) / b.length);
        }
        if (!xs.isEmpty()) {
            XYSeries series = c.addSeries("blackouts", xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendVisible(false);
        return c;
    }

    /** Writes the chart as {@code dir/name.png} and returns an img tag embedding it. */
    public static String embed(Chart<?, ?> chart, Path dir, String name) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        Files.write(dir.resolve(name + ".png"), png);
        return "<img alt=\"" + chart.getTitle().replace("\"", "'").replace("<", "&lt;") + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\">";
    }
}
